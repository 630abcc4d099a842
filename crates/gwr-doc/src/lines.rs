//! Lines (paragraphs) of a normalized text with their spans.

use std::ops::Range;

/// One line of the normalized text (a paragraph, after layout repair).
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub text: &'a str,
    /// Span of the line without its terminator.
    pub span: Range<usize>,
}

impl<'a> Line<'a> {
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }
}

/// Non-empty lines of `text` within `range`. A page flattened into one
/// very long line is cut at its structure (see [`structure_cuts`]); the
/// cuts are spans, the text is not changed.
pub fn lines_in(text: &str, range: Range<usize>) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = range.start;
    let slice = &text[range.clone()];
    for part in slice.split('\n') {
        let end = start + part.len();
        if !part.trim().is_empty() {
            if part.len() > FLAT_LINE {
                let mut from = 0;
                for cut in structure_cuts(part).into_iter().chain([part.len()]) {
                    let piece = &part[from..cut];
                    if !piece.trim().is_empty() {
                        out.push(Line {
                            text: piece,
                            span: start + from..start + cut,
                        });
                    }
                    from = cut;
                }
            } else {
                out.push(Line {
                    text: part,
                    span: start..end,
                });
            }
        }
        start = end + 1;
    }
    out
}

/// A line longer than this (bytes, about 200 characters) with headings or
/// a header inside is a flattened page.
const FLAT_LINE: usize = 600;

/// Greetings that open a report.
const GREETINGS: &[&str] = &["各位代表：", "同志们：", "各位委员：", "各位人大代表："];

/// Words that end a heading's title run into its first sentence
/// (一、过去五年工作回顾本届政府任期… → the heading ends after 回顾).
const HEADING_ENDS: &[&str] = &[
    "回顾", "工作", "任务", "建议", "安排", "要求", "目标", "成绩", "部署",
];

/// Length of a printed page number (-12-) at the start of `s`.
fn page_mark(s: &str) -> Option<usize> {
    let digits = s[1..].bytes().take_while(u8::is_ascii_digit).count();
    ((1..=3).contains(&digits) && s.as_bytes().get(1 + digits) == Some(&b'-')).then_some(digits + 2)
}

/// `flattened_page`: where a page flattened into one line had its line
/// breaks: before a subtitle dash (——2012年1月3日在…会议上), after 会议上,
/// around a greeting (各位代表：), and around a top-level heading that
/// follows a sentence end (。一、过去五年工作回顾本届… → 一、过去五年工作回顾 |
/// 本届…), before a second-level heading (。（一）…).
pub fn structure_cuts(line: &str) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::new();
    for (i, c) in line.char_indices() {
        let rest = &line[i..];
        let prev = line[..i].chars().next_back();
        let after_stop = prev.is_none_or(|p| "。！？：；”".contains(p));
        // The header's subtitle stands near the start of the page.
        let dash_before = cuts
            .last()
            .is_some_and(|k| line[*k..].starts_with("——") && i - k < 300);
        if rest.starts_with("——")
            && rest[6..]
                .chars()
                .next()
                .is_some_and(|n| n == '在' || n.is_ascii_digit())
            && rest[6..].chars().take(24).any(|c| c == '在')
        {
            if prev != Some('—') {
                cuts.push(i);
            }
        } else if (rest.starts_with("会议上") || rest.starts_with("全会上")) && dash_before {
            let e = i + "会议上".len();
            if line[e..]
                .chars()
                .next()
                .is_some_and(|n| !"，。的）)".contains(n))
            {
                cuts.push(e);
            }
        } else if c == '-'
            && let Some(k) = page_mark(rest)
        {
            // A printed page number (-1-) between two pages.
            cuts.push(i);
            cuts.push(i + k);
        } else if let Some(g) = GREETINGS.iter().find(|g| rest.starts_with(**g)) {
            cuts.push(i);
            cuts.push(i + g.len());
        } else if after_stop && c != '（' {
            // 一、 … 十、 after a sentence end.
            let n: String = rest.chars().take(3).collect();
            let marker = ["、"].iter().find_map(|m| {
                let k = n.find(m)?;
                let num = &n[..k];
                (!num.is_empty() && num.chars().all(|d| "一二三四五六七八九十".contains(d)))
                    .then_some(k + m.len())
            });
            if let Some(k) = marker {
                cuts.push(i);
                // The heading's title: up to the last heading word before
                // the first comma or full stop, within 40 characters.
                let body = &rest[k..];
                let limit = body
                    .find(['，', '。'])
                    .unwrap_or(body.len())
                    .min(body.char_indices().nth(40).map_or(body.len(), |(j, _)| j));
                let head = &body[..limit];
                if let Some(end) = HEADING_ENDS
                    .iter()
                    .filter_map(|w| head.rfind(w).map(|j| j + w.len()))
                    .max()
                    && end < head.len()
                {
                    cuts.push(i + k + end);
                }
            }
        } else if c == '（' && prev == Some('。') {
            let inner: String = rest
                .chars()
                .skip(1)
                .take_while(|c| *c != '）')
                .take(4)
                .collect();
            if !inner.is_empty() && inner.chars().all(|d| "一二三四五六七八九十".contains(d))
            {
                cuts.push(i);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.retain(|c| *c > 0 && *c < line.len());
    cuts
}

/// Sentence spans inside `range`: split after 。！？ and at line ends.
/// Semicolons do not end a sentence.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (i, c) in text[range.clone()].char_indices() {
        let pos = range.start + i;
        match c {
            '。' | '！' | '？' => {
                let end = pos + c.len_utf8();
                if end > start {
                    out.push(start..end);
                }
                start = end;
            }
            '\n' => {
                if pos > start {
                    out.push(start..pos);
                }
                start = pos + 1;
            }
            _ => {}
        }
    }
    if range.end > start {
        out.push(start..range.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_full_stops_and_lines() {
        let t = "甲增长5%；乙增长6%。丙。\n丁";
        let s: Vec<&str> = sentences(t, 0..t.len())
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(s, vec!["甲增长5%；乙增长6%。", "丙。", "丁"]);
    }

    #[test]
    fn flattened_page_is_cut_at_its_structure() {
        let body = "全市生产总值增长8%，财政收入增长9%。".repeat(120);
        let t = format!(
            "1政府工作报告——2012年1月3日在某某区第四届人民代表大会第一次会议上某某区人民政府区长张三各位代表：现在，我代表区人民政府向大会作工作报告。一、过去五年工作回顾本届政府任期五年。{body}（一）经济实力提升。{body}二、2012年工作安排今年要做好三件事。"
        );
        let l: Vec<&str> = lines_in(&t, 0..t.len())
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(l[0], "1政府工作报告");
        assert_eq!(l[1], "——2012年1月3日在某某区第四届人民代表大会第一次会议上");
        assert_eq!(l[2], "某某区人民政府区长张三");
        assert_eq!(l[3], "各位代表：");
        assert_eq!(l[5], "一、过去五年工作回顾");
        assert!(l[6].starts_with("本届政府任期五年。"));
        assert!(l[7].starts_with("（一）经济实力提升。"));
        assert!(l.contains(&"二、2012年工作安排"));
        // An ordinary line is one line.
        assert_eq!(lines_in("一、工作回顾。二、任务", 0..27).len(), 1);
    }

    #[test]
    fn lines_skip_blank() {
        let t = "a\n\nb\n";
        let l: Vec<&str> = lines_in(t, 0..t.len())
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(l, vec!["a", "b"]);
    }
}
