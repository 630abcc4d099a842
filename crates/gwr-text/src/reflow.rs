//! Text flattened into one line (document-sharing copies lose every line
//! break) is broken again where a report's layout is certain: the header
//! lines before the greeting (a table of contents with dot leaders, the title,
//! the dash-led meeting line, the speaker), the greeting itself, and the
//! top-level and second-level headings that follow a sentence end. Page
//! numbers glued to the text there ("-1-", "1政府工作报告") go.
//!
//! Only a long line that opens a report (a title or meeting, then the
//! greeting within the first 1,500 characters) is touched; ordinary
//! paragraphs never are.

use std::ops::Range;

/// Where to break a flattened line: char indices that start a new line, and
/// char ranges to delete (glued page numbers).
#[derive(Debug, Default, PartialEq)]
pub struct Reflow {
    pub breaks: Vec<usize>,
    pub deletions: Vec<Range<usize>>,
}

const GREETINGS: &[&str] = &["各位代表：", "同志们：", "各位委员："];
/// Words that end a top-level heading run into its paragraph
/// ("一、过去五年工作回顾" + "本届政府…").
const HEADING_ENDS: &[&str] = &["回顾", "工作", "任务", "建议", "安排", "目标", "建设"];
const NUMERALS: &str = "一二三四五六七八九十";

fn find(chars: &[char], from: usize, to: usize, pat: &str) -> Option<usize> {
    let p: Vec<char> = pat.chars().collect();
    let to = to.min(chars.len());
    if p.is_empty() || to < p.len() {
        return None;
    }
    (from..=to - p.len()).find(|&i| chars[i..i + p.len()] == p[..])
}

fn starts_with(chars: &[char], at: usize, pat: &str) -> bool {
    (at..)
        .zip(pat.chars())
        .all(|(k, c)| chars.get(k) == Some(&c))
}

/// A cheap first look at a long line: is a greeting near its start?
pub fn may_open_report(line: &str) -> bool {
    let mut end = line.len().min(6000);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let head = &line[..end];
    ["各位代表", "同志们", "各位委员"]
        .iter()
        .any(|g| head.contains(g))
}

/// Breaks for a flattened line, or `None` when the line is not one.
pub fn flattened(chars: &[char]) -> Option<Reflow> {
    if chars.len() < 400 {
        return None;
    }
    let (g, glen) = GREETINGS
        .iter()
        .filter_map(|p| find(chars, 0, 1500, p).map(|i| (i, p.chars().count())))
        .min()?;
    // A report header (title, meeting) stands before the greeting.
    if g < 4 || (find(chars, 0, g, "报告").is_none() && find(chars, 0, g, "会议").is_none()) {
        return None;
    }
    let mut r = Reflow::default();
    // The header before the greeting.
    let mut i = 0;
    while i < g {
        let c = chars[i];
        // A table of contents entry: dot leaders and a page number.
        if c == '.' || c == '…' || c == '·' {
            let mut j = i;
            while j < g && chars[j] == c {
                j += 1;
            }
            let mut k = j;
            while k < g && chars[k].is_ascii_digit() && k - j < 3 {
                k += 1;
            }
            if j - i >= 4 && k > j {
                r.breaks.push(k);
                i = k;
                continue;
            }
            i = j;
            continue;
        }
        // A page marker "-1-" glued between header parts.
        if c == '-' {
            let mut k = i + 1;
            while k < g && chars[k].is_ascii_digit() && k - i <= 3 {
                k += 1;
            }
            if k > i + 1
                && chars.get(k) == Some(&'-')
                && (i == 0 || !chars[i - 1].is_ascii_alphabetic())
            {
                r.deletions.push(i..k + 1);
                r.breaks.push(i);
                r.breaks.push(k + 1);
                i = k + 1;
                continue;
            }
        }
        if starts_with(chars, i, "——") && i > 0 && chars[i - 1] != '—' {
            r.breaks.push(i);
            i += 2;
            continue;
        }
        if starts_with(chars, i, "会议上") {
            let mut k = i + 3;
            if matches!(chars.get(k), Some('）') | Some(')')) {
                k += 1;
            }
            r.breaks.push(k);
            i = k;
            continue;
        }
        i += 1;
    }
    r.breaks.push(g);
    r.breaks.push(g + glen);
    // Headings after a sentence end.
    let mut i = g + glen;
    while i + 2 < chars.len() {
        let after_end = matches!(chars[i - 1], '。' | '！' | '：' | '；');
        if after_end && NUMERALS.contains(chars[i]) && chars[i + 1] == '、' {
            r.breaks.push(i);
            // Where the heading's title ends, when a paragraph runs on.
            let from = i + 2;
            let stop = (from..chars.len().min(from + 30))
                .find(|&k| matches!(chars[k], '，' | '。' | '；' | '：' | '！' | '？'))
                .unwrap_or(chars.len().min(from + 30));
            let end = HEADING_ENDS
                .iter()
                .filter_map(|w| {
                    (from..stop)
                        .filter(|&k| starts_with(chars, k, w))
                        .map(|k| k + w.chars().count())
                        .max()
                })
                .max();
            if let Some(e) = end
                && e < stop
            {
                r.breaks.push(e);
            }
            i += 2;
            continue;
        }
        if after_end && chars[i] == '（' && NUMERALS.contains(chars[i + 1]) {
            r.breaks.push(i);
        }
        i += 1;
    }
    // A page number glued before the title at the very start ("1政府工作报告").
    let first_end = r.breaks.iter().copied().min().unwrap_or(g);
    let digits = chars[..first_end]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if (1..=3).contains(&digits)
        && first_end - digits <= 40
        && chars
            .get(digits)
            .is_some_and(|&c| !"年月日.%".contains(c) && !c.is_ascii())
        && find(chars, digits, first_end, "报告").is_some()
    {
        r.deletions.push(0..digits);
    }
    r.breaks.sort_unstable();
    r.breaks.dedup();
    r.breaks.retain(|&b| b > 0 && b < chars.len());
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let Some(r) = flattened(&chars) else {
            return vec![s.to_string()];
        };
        let mut out = vec![String::new()];
        for (k, c) in chars.iter().enumerate() {
            if r.breaks.contains(&k) {
                out.push(String::new());
            }
            if !r.deletions.iter().any(|d| d.contains(&k))
                && let Some(l) = out.last_mut()
            {
                l.push(*c);
            }
        }
        out.retain(|l| !l.is_empty());
        out
    }

    fn body() -> String {
        "全区经济保持平稳增长，各项事业全面进步。".repeat(60)
    }

    #[test]
    fn a_flattened_report_is_broken_at_its_header_and_headings() {
        let t = format!(
            "目录某某区政府工作报告........1附件说明........9-1-某某区政府工作报告——2020年1月8日在某某区第五届人民代表大会第三次会议上某某区人民政府区长张三各位代表：现在，我代表区人民政府向大会报告工作。一、2019年工作回顾过去一年，{b}（一）经济运行平稳。{b}二、2020年主要任务今年，{b}",
            b = body()
        );
        let l = lines(&t);
        assert!(l[9].starts_with("（一）经济运行平稳。全区"));
        assert_eq!(
            &l[..9],
            &[
                "目录某某区政府工作报告........1",
                "附件说明........9",
                "某某区政府工作报告",
                "——2020年1月8日在某某区第五届人民代表大会第三次会议上",
                "某某区人民政府区长张三",
                "各位代表：",
                "现在，我代表区人民政府向大会报告工作。",
                "一、2019年工作回顾",
                &format!("过去一年，{}", body()),
            ]
        );
        assert!(l.iter().any(|x| x == "二、2020年主要任务"));
    }

    #[test]
    fn a_page_number_glued_to_the_title_goes() {
        let t = format!(
            "1政府工作报告——2020年1月8日在某某区第五届人民代表大会第三次会议上区长张三各位代表：现在，我代表区人民政府向大会报告工作。{}",
            body()
        );
        assert_eq!(lines(&t)[0], "政府工作报告");
        let y = format!(
            "2020政府工作报告——在某某区第五届人民代表大会第三次会议上各位代表：{}",
            body()
        );
        assert_eq!(lines(&y)[0], "2020政府工作报告");
    }

    #[test]
    fn ordinary_paragraphs_are_not_touched() {
        let p = body();
        assert_eq!(lines(&p), vec![p.clone()]);
        let short = "各位代表：现在，我代表区人民政府向大会报告工作。一、回顾";
        assert_eq!(lines(short), vec![short.to_string()]);
    }
}
