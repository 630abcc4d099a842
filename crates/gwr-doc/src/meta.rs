//! Metadata of one document: title, region, speaker, meeting, date and the
//! review and plan years.
//!
//! The header block (title, subtitle, date, meeting, speaker lines above the
//! greeting) is read first. What the header does not give is inferred from the
//! text only when the text pins it down, and such fields are listed in
//! [`Metadata::inferred`]:
//! - years from top-level headings (2017年政府工作回顾 · 2018年重点工作), from the
//!   review's first sentence (2005年，我国…), from a five-year-plan ordinal
//!   (是全面实施“十二五”规划的第一年) or from the date;
//! - the region from division names in the body (most frequent, furniture
//!   lines excluded), or, for a glossary, from the report it explains;
//! - masked years (20xx) in the title, date and headings, once the years are known.

use crate::config::DocConfig;
use crate::lines::Line;
use crate::model::{DocType, Metadata, Role, Section};
use crate::regions::{Division, Gazetteer, Level};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:在|经)((?:[^，。；在经]){2,48}?(?:会议|全会|大会|全体会议))(?:上|审议|通过|作|的|）|$)")
        .expect("meeting pattern")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4}|\d{2}[xX×*]{2}|[xX×*]{4})年(\d{1,2})月(\d{1,2})日").expect("date pattern")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})年").expect("year pattern"));
static MASKED_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{2}[xX×*]{2}年|[xX×*]{4}年").expect("masked year pattern"));
/// A year opening a sentence: "2005年，我国…", "20xx年是…".
static YEAR_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:过去的一年|一年来)?[，]?(\d{4}|\d{2}[xX×*]{2})年(?:，|是|以来|我们|全年|，是)")
        .expect("pattern")
});
/// "…是全面实施“十二五”规划的第一年".
static PLAN_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"“?(十[一二三四五六]?五)”?(?:规划|计划|时期)[^。；]{0,6}?(第[一二三四五]年|开局之年|起步之年|开局年|收官之年|最后一年|决胜之年)")
        .expect("plan ordinal pattern")
});

/// First year of a five-year plan named by its ordinal (十二五 → 2011).
fn plan_start(name: &str) -> Option<i32> {
    Some(match name {
        "十五" => 2001,
        "十一五" => 2006,
        "十二五" => 2011,
        "十三五" => 2016,
        "十四五" => 2021,
        "十五五" => 2026,
        "十六五" => 2031,
        _ => return None,
    })
}

fn plan_offset(ordinal: &str) -> Option<i32> {
    Some(match ordinal {
        "第一年" | "开局之年" | "起步之年" | "开局年" => 0,
        "第二年" => 1,
        "第三年" => 2,
        "第四年" => 3,
        "第五年" | "收官之年" | "最后一年" | "决胜之年" => 4,
        _ => return None,
    })
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

static SURNAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v: Vec<String> = include_str!("../../../data/surnames.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    v
});

/// A personal name: 2–4 Han characters starting with a known surname.
fn person_name(s: &str) -> Option<String> {
    let s = s.trim_end_matches("同志").trim();
    let n = s.chars().count();
    if !(2..=4).contains(&n) || !s.chars().all(is_han) {
        return None;
    }
    SURNAMES
        .iter()
        .any(|sn| s.starts_with(sn.as_str()) && s.len() > sn.len())
        .then(|| s.to_string())
}

/// Context for reading one document's metadata.
pub struct MetaInput<'a> {
    pub text: &'a str,
    /// All lines of the document.
    pub lines: &'a [Line<'a>],
    /// How many of `lines` form the header block.
    pub header_len: usize,
    /// Index in `lines` of the greeting line, if any.
    pub opening: Option<usize>,
    pub doc_type: DocType,
    pub sections: &'a mut [Section],
    /// Metadata of the document before this one in the file.
    pub previous: Option<&'a Metadata>,
    pub cfg: &'a DocConfig,
    pub gazetteer: &'a Gazetteer,
}

/// Read the metadata of one document (and fill masked years in its headings).
pub fn extract(input: MetaInput<'_>) -> Metadata {
    let MetaInput {
        text: _,
        lines,
        header_len,
        opening,
        doc_type,
        sections,
        previous,
        cfg,
        gazetteer,
    } = input;
    let mut m = Metadata::default();
    let header: Vec<&str> = lines[..header_len.min(lines.len())]
        .iter()
        .map(|l| l.text)
        .filter(|t| !(cfg.is_furniture(t) || t.is_ascii()))
        .collect();
    // The opening: greeting and the few lines after it ("我代表…").
    let opening_text: String = opening
        .map(|o| {
            lines[o..lines.len().min(o + 4)]
                .iter()
                .map(|l| l.text)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();

    if doc_type == DocType::Glossary {
        m.title = header.first().map(|t| t.to_string());
        if let Some(p) = previous {
            inherit_region(&mut m, p);
        }
        return m;
    }

    // Meeting, date, speaker from the header lines.
    let mut used = vec![false; header.len()];
    for (i, line) in header.iter().enumerate() {
        if m.meeting.is_none()
            && let Some(c) = MEETING.captures(line)
        {
            m.meeting = Some(c[1].trim_start_matches(['—', '－']).to_string());
            used[i] = true;
        }
        if let Some(c) = DATE.captures(line) {
            if m.date.is_none() {
                m.date = Some(format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]));
            }
            used[i] = true;
        }
    }
    // Speaker: "…区长楼建忠", a title line followed by a name line, or a bare name.
    for i in 0..header.len() {
        if m.speaker.is_some() {
            break;
        }
        let line = header[i];
        if used[i] {
            continue;
        }
        if let Some((title, rest)) = speaker_title(line, cfg) {
            if let Some(name) = person_name(rest) {
                m.speaker = Some(name);
                m.speaker_title = Some(title);
                used[i] = true;
            } else if rest.is_empty()
                && let Some(name) = header.get(i + 1).and_then(|n| person_name(n))
            {
                m.speaker = Some(name);
                m.speaker_title = Some(title);
                used[i] = true;
                used[i + 1] = true;
            }
        }
    }
    if m.speaker.is_none() {
        // A bare name line after the title.
        for (i, line) in header.iter().enumerate().skip(1) {
            if !used[i]
                && let Some(name) = person_name(line)
            {
                m.speaker = Some(name);
                used[i] = true;
                break;
            }
        }
    }
    // Title: the last title-like line before the first meeting/date/speaker
    // line; parenthesised and dash-led lines are subtitles.
    let first_used = used.iter().position(|u| *u).unwrap_or(header.len());
    let is_title = |t: &str| {
        !t.starts_with(['（', '(', '—', '－'])
            && !t.ends_with(['：', '。'])
            && t.chars().filter(|c| is_han(*c)).count() >= 4
            && t.chars().count() <= 40
    };
    m.title = header[..first_used]
        .iter()
        .rev()
        .find(|t| is_title(t))
        .or_else(|| {
            header
                .iter()
                .enumerate()
                .find(|(i, t)| !used[*i] && is_title(t))
                .map(|(_, t)| t)
        })
        .map(|t| t.to_string());
    if m.title.is_none()
        && doc_type == DocType::GovernmentWorkReport
        && (opening_text.contains("政府工作报告") || opening_text.contains("报告政府工作"))
    {
        m.title = Some("政府工作报告".into());
        m.mark_inferred("title");
    }
    if m.title.is_none()
        && doc_type == DocType::GovernmentWorkReport
        && opening_text.contains("代表国务院")
    {
        m.title = Some("政府工作报告".into());
        m.mark_inferred("title");
    }

    // Region.
    let national = opening_text.contains("代表国务院")
        || header
            .iter()
            .any(|l| l.contains("国务院总理") || l.contains("全国人民代表大会"));
    if national {
        m.region = Some("中国".into());
        m.level = Some(Level::National.as_str().into());
    } else {
        let head_text: String = header.join("\n") + "\n" + &opening_text;
        if let Some(d) = best_region(gazetteer, &head_text, 1) {
            set_region(&mut m, gazetteer, d);
            m.mark_inferred("region_path");
        } else {
            // The opening pages name the region often enough.
            let mut body = String::new();
            for l in lines[header_len.min(lines.len())..]
                .iter()
                .filter(|l| !cfg.is_furniture(l.text))
            {
                if body.len() > 12_000 {
                    break;
                }
                body.push_str(l.text);
                body.push('\n');
            }
            if let Some(d) = best_region(gazetteer, &body, 3) {
                set_region(&mut m, gazetteer, d);
                for f in ["region", "region_path", "level"] {
                    m.mark_inferred(f);
                }
            }
        }
    }

    // Years.
    years(&mut m, lines, header_len, sections, &header);

    // Masked years in title, date and headings.
    if let Some(title) = m.title.as_mut()
        && let Some(y) = m.plan_year
        && MASKED_YEAR.is_match(title)
    {
        *title = MASKED_YEAR
            .replace_all(title, format!("{y}年"))
            .into_owned();
        m.inferred.push("title".into());
    }
    if let Some(d) = m.date.clone()
        && !d[..4].chars().all(|c| c.is_ascii_digit())
    {
        let month: u32 = d[5..7].parse().unwrap_or(0);
        let y = if month <= 6 {
            m.plan_year
        } else {
            m.review_year
        };
        match y {
            Some(y) => {
                m.date = Some(format!("{y}{}", &d[4..]));
                m.mark_inferred("date");
            }
            None => m.date = None,
        }
    }
    for s in sections.iter_mut() {
        if MASKED_YEAR.is_match(&s.title) {
            let y = if s.role == Some(Role::Review) {
                m.review_year
            } else {
                m.plan_year
            };
            if let Some(y) = y {
                s.title = MASKED_YEAR
                    .replace_all(&s.title, format!("{y}年"))
                    .into_owned();
            }
        }
    }
    m
}

/// The longest speaker title in `line` and the text after it.
fn speaker_title<'a>(line: &'a str, cfg: &DocConfig) -> Option<(String, &'a str)> {
    if line.chars().count() > 40 {
        return None;
    }
    for t in &cfg.speaker_titles {
        if let Some(i) = line.rfind(t.as_str()) {
            let rest = line[i + t.len()..].trim();
            return Some((t.clone(), rest));
        }
    }
    None
}

fn inherit_region(m: &mut Metadata, p: &Metadata) {
    m.region = p.region.clone();
    m.region_code = p.region_code.clone();
    m.region_path = p.region_path.clone();
    m.level = p.level.clone();
    for f in ["region", "region_path", "level"] {
        if p.region.is_some() {
            m.mark_inferred(f);
        }
    }
}

fn set_region(m: &mut Metadata, g: &Gazetteer, d: &Division) {
    m.region = Some(d.name.clone());
    m.region_code = Some(d.code.clone());
    m.level = Some(d.level.as_str().into());
    m.region_path = Some(g.path(&d.code).iter().map(|x| x.name.clone()).collect());
}

fn depth(l: Level) -> u8 {
    match l {
        Level::National => 0,
        Level::Province => 1,
        Level::City => 2,
        Level::District | Level::County => 3,
        Level::Township => 4,
    }
}

/// The region a text is about: the most specific division named at least
/// `min_count` times (full or short names), with names disambiguated by the
/// other divisions named in the text.
fn best_region<'g>(g: &'g Gazetteer, text: &str, min_count: usize) -> Option<&'g Division> {
    let mut mentions = g.mentions(text);
    if min_count > 1 {
        mentions.extend(g.short_mentions(text));
    }
    if mentions.is_empty() {
        return None;
    }
    let unique: Vec<&str> = mentions
        .iter()
        .filter(|m| m.codes.len() == 1)
        .map(|m| m.codes[0].as_str())
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (k, mention) in mentions.iter().enumerate() {
        let chosen = if mention.codes.len() == 1 {
            g.get(&mention.codes[0])
        } else {
            pick(g, &mention.codes, &unique)
        };
        if let Some(d) = chosen {
            *counts.entry(d.code.as_str()).or_default() += 1;
            first.entry(d.code.as_str()).or_insert(k);
        }
    }
    let mut best: Option<(&Division, usize)> = None;
    for (code, n) in &counts {
        let Some(d) = g.get(code) else { continue };
        if *n < min_count {
            continue;
        }
        let better = match best {
            None => true,
            Some((b, bn)) => {
                let (dd, bd) = (depth(d.level), depth(b.level));
                if min_count > 1 {
                    // In running text, frequency decides among units of the
                    // most specific level present.
                    dd > bd
                        || dd == bd && (*n > bn || *n == bn && first[code] < first[b.code.as_str()])
                } else {
                    dd > bd || dd == bd && first[code] < first[b.code.as_str()]
                }
            }
        };
        if better {
            best = Some((d, *n));
        }
    }
    best.map(|(d, _)| d)
}

/// Among ambiguous candidates, the one whose ancestors or siblings are named.
fn pick<'g>(g: &'g Gazetteer, codes: &[String], context: &[&str]) -> Option<&'g Division> {
    let hits: Vec<&Division> = codes
        .iter()
        .filter_map(|c| g.get(c))
        .filter(|d| {
            let path = g.path(&d.code);
            context.iter().any(|c| {
                path.iter().any(|a| a.code == *c && a.code != d.code)
                    || g.get(c).is_some_and(|o| {
                        o.parent.is_some() && o.parent == d.parent && o.code != d.code
                    })
            })
        })
        .collect();
    match hits.as_slice() {
        [one] => Some(one),
        _ => {
            let current: Vec<&Division> = hits.into_iter().filter(|d| !d.abolished).collect();
            (current.len() == 1).then(|| current[0])
        }
    }
}

fn years(
    m: &mut Metadata,
    lines: &[Line<'_>],
    header_len: usize,
    sections: &[Section],
    header: &[&str],
) {
    // Top-level headings.
    for s in sections.iter().filter(|s| s.parent.is_none()) {
        let Some(c) = YEAR.captures(&s.title) else {
            continue;
        };
        let Ok(y) = c[1].parse::<i32>() else { continue };
        match s.role {
            Some(Role::Review) if m.review_year.is_none() => m.review_year = Some(y),
            Some(Role::Tasks | Role::Targets | Role::Guidance | Role::LivelihoodProjects)
                if m.plan_year.is_none() =>
            {
                m.plan_year = Some(y)
            }
            _ => {}
        }
    }
    // The review's first sentence ("2005年，我国…"), or a plan ordinal.
    let review_start = sections
        .iter()
        .find(|s| s.parent.is_none() && s.role == Some(Role::Review))
        .map(|s| s.heading.end);
    if m.review_year.is_none()
        && let Some(start) = review_start
        && let Some(first) = lines.iter().find(|l| l.span.start >= start)
        && let Some(c) = YEAR_OPENING.captures(first.text)
    {
        if let Ok(y) = c[1].parse::<i32>() {
            m.review_year = Some(y);
        } else if let Some(p) = PLAN_ORDINAL.captures(first.text)
            && let (Some(s), Some(o)) = (plan_start(&p[1]), plan_offset(&p[2]))
        {
            m.review_year = Some(s + o);
            m.mark_inferred("review_year");
        }
    }

    // The date in the header: a work report is given early in its plan year,
    // a year-end plenary late in its review year.
    let date_year = header.iter().find_map(|l| {
        DATE.captures(l)
            .and_then(|c| Some((c[1].parse::<i32>().ok()?, c[2].parse::<u32>().ok()?)))
    });
    if let Some((y, month)) = date_year {
        if month <= 6 && m.plan_year.is_none() {
            m.plan_year = Some(y);
            if m.review_year.is_some_and(|r| r != y - 1) {
                m.plan_year = None;
            }
        } else if month >= 9 && m.review_year.is_none() {
            m.review_year = Some(y);
        }
    }
    match (m.review_year, m.plan_year) {
        (Some(r), None) => {
            m.plan_year = Some(r + 1);
            m.mark_inferred("plan_year");
        }
        (None, Some(p)) => {
            m.review_year = Some(p - 1);
            m.mark_inferred("review_year");
        }
        _ => {}
    }
    let _ = header_len;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_names() {
        let cases = [
            (
                "2018年1月19日经江干区第十五届人民代表大会第二次会议审议通过",
                "江干区第十五届人民代表大会第二次会议",
            ),
            ("——在区委十届三次全会上的报告", "区委十届三次全会"),
            (
                "（20xx年2月19日在杭州市西湖区第十四届人民代表大会第一次会议上）",
                "杭州市西湖区第十四届人民代表大会第一次会议",
            ),
            (
                "——2024年3月5日在第十四届全国人民代表大会第二次会议上",
                "第十四届全国人民代表大会第二次会议",
            ),
        ];
        for (line, want) in cases {
            let got = MEETING.captures(line).map(|c| c[1].to_string());
            assert_eq!(got.as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn names_need_a_surname() {
        assert_eq!(person_name("楼建忠").as_deref(), Some("楼建忠"));
        assert_eq!(person_name("李强").as_deref(), Some("李强"));
        assert_eq!(person_name("各位代表"), None);
        assert_eq!(person_name("政府工作报告"), None);
    }

    #[test]
    fn plan_ordinals() {
        let c = PLAN_ORDINAL
            .captures("20xx年,是我区全面实施“十二五”规划的第一年")
            .map(|c| (c[1].to_string(), c[2].to_string()));
        assert_eq!(c, Some(("十二五".into(), "第一年".into())));
        assert_eq!(
            plan_start("十三五")
                .zip(plan_offset("收官之年"))
                .map(|(a, b)| a + b),
            Some(2020)
        );
    }
}
