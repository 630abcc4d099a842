//! Headings and the section tree of one document.
//!
//! Numbering styles, by level: 一、 (or 第一部分) · （一） · 1. / 1、 · （1）.
//! A heading is accepted when its ordinal continues the numbering of its level
//! under the same parent (一 then 二; a new parent restarts at 1), so numbered
//! lists inside paragraphs do not become sections by accident.

use crate::config::DocConfig;
use crate::lines::Line;
use crate::model::{Role, Section};

/// A heading marker found at the start of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub level: u8,
    pub ordinal: u32,
    /// Byte length of the marker.
    pub len: usize,
}

pub(crate) fn chinese_ordinal(s: &str) -> Option<u32> {
    let d = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => d(*b).map(|x| 10 + x),
        [a, '十'] => d(*a).map(|x| x * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

fn take_while(s: &str, f: impl Fn(char) -> bool) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !f(*c))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn is_cn_digit(c: char) -> bool {
    "零一二三四五六七八九十".contains(c)
}

/// Recognise a heading marker at the start of `line`.
pub fn marker(line: &str) -> Option<Marker> {
    if let Some(rest) = line.strip_prefix('（') {
        let num = take_while(rest, is_cn_digit);
        if !num.is_empty() && rest[num.len()..].starts_with('）') {
            return Some(Marker {
                level: 2,
                ordinal: chinese_ordinal(num)?,
                len: '（'.len_utf8() * 2 + num.len(),
            });
        }
        let num = take_while(rest, |c| c.is_ascii_digit());
        if !num.is_empty() && num.len() <= 2 && rest[num.len()..].starts_with('）') {
            return Some(Marker {
                level: 4,
                ordinal: num.parse().ok()?,
                len: '（'.len_utf8() * 2 + num.len(),
            });
        }
        return None;
    }
    if let Some(rest) = line.strip_prefix('第') {
        let num = take_while(rest, is_cn_digit);
        let after = &rest[num.len()..];
        if !num.is_empty() && (after.starts_with("部分") || after.starts_with('章')) {
            let tail = if after.starts_with("部分") {
                "部分"
            } else {
                "章"
            };
            let mut len = '第'.len_utf8() + num.len() + tail.len();
            if after[tail.len()..].starts_with(['、', '：', ' ']) {
                len += after[tail.len()..].chars().next().map_or(0, char::len_utf8);
            }
            return Some(Marker {
                level: 1,
                ordinal: chinese_ordinal(num)?,
                len,
            });
        }
        return None;
    }
    let num = take_while(line, is_cn_digit);
    if !num.is_empty() {
        let after = &line[num.len()..];
        if after.starts_with('、') || after.starts_with('．') {
            return Some(Marker {
                level: 1,
                ordinal: chinese_ordinal(num)?,
                len: num.len() + '、'.len_utf8(),
            });
        }
        // 一是…、二是…: enumerated points opening a line.
        if after.starts_with('是') && !after.starts_with("是否") {
            return Some(Marker {
                level: 5,
                ordinal: chinese_ordinal(num)?,
                len: num.len() + '是'.len_utf8(),
            });
        }
        return None;
    }
    let num = take_while(line, |c| c.is_ascii_digit());
    if !num.is_empty() && num.len() <= 2 {
        let after = &line[num.len()..];
        let sep = after.chars().next()?;
        if matches!(sep, '、' | '.' | '．')
            && !after[sep.len_utf8()..].starts_with(|c: char| c.is_ascii_digit())
        {
            return Some(Marker {
                level: 3,
                ordinal: num.parse().ok()?,
                len: num.len() + sep.len_utf8(),
            });
        }
    }
    None
}

/// Heading title: the text after the marker up to the first sentence end
/// (a heading often runs on into its first paragraph on the same line).
pub fn heading_title(rest: &str) -> &str {
    let end = rest.find(['。', '；', '！', '？']).unwrap_or(rest.len());
    let t = &rest[..end];
    // A colon ends a run-in heading ("（一）总体要求：…") unless it is the whole line.
    match t.find('：') {
        Some(i) if i > 0 && end < rest.len() => &t[..i],
        _ => t,
    }
    .trim()
}

fn is_heading_line(level: u8, line: &str, title: &str) -> bool {
    let n = title.chars().count();
    if n == 0 || n > 60 {
        return false;
    }
    // A top-level heading stands alone on its line.
    if level == 1 {
        return title.len() + 12 >= line.len() && !line.ends_with('。');
    }
    true
}

/// Build the section tree of a document from its lines.
///
/// `year_headings`: whether a short unnumbered line that opens on a year and
/// names a section's part (2024年工作回顾) stands as a top-level heading, as
/// in a report copy that lost its numbering (not in a news item, whose such
/// lines are labels of a summary).
pub fn build(
    lines: &[Line<'_>],
    doc_end: usize,
    cfg: &DocConfig,
    year_headings: bool,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    // For each level, the last accepted ordinal under the current parent.
    let mut last: [u32; 6] = [0; 6];
    // Index of the open section at each level.
    let mut open: [Option<usize>; 6] = [None; 6];
    let mut unnumbered = 0;
    for line in lines {
        if cfg.is_standalone_heading(line.text) || year_headings && cfg.is_year_heading(line.text) {
            for l in 1..6 {
                if let Some(i) = open[l] {
                    sections[i].span.end = line.span.start;
                }
                open[l] = None;
                if l > 1 {
                    last[l] = 0;
                }
            }
            unnumbered += 1;
            let title = line.text.trim().trim_end_matches('：');
            let start = line.span.start + (line.text.len() - line.text.trim_start().len());
            sections.push(Section {
                id: format!("u{unnumbered}"),
                level: 1,
                marker: String::new(),
                title: title.to_string(),
                heading: start..start + title.len(),
                span: line.span.start..doc_end,
                role: cfg.role_of(title),
                parent: None,
                period: None,
            });
            open[1] = Some(sections.len() - 1);
            continue;
        }
        let Some(m) = marker(line.text) else { continue };
        let lv = m.level as usize;
        let rest = &line.text[m.len..];
        let title = if m.level == 5 {
            // A point runs on: its title is its first clause.
            let end = rest.find(['，', '；', '。', '：']).unwrap_or(rest.len());
            rest[..end].trim()
        } else {
            heading_title(rest)
        };
        if !is_heading_line(m.level, line.text, title) {
            continue;
        }
        // Levels must nest: a level-3 item needs no level-2 parent, but its
        // ordinal must continue its own run.
        // Numbered lists (level 3 and below) may restart under one parent.
        let expected = last[lv] + 1;
        if m.ordinal != expected && !(m.ordinal == 1 && lv >= 3) {
            continue;
        }
        // Close deeper levels.
        for l in lv..6 {
            if let Some(i) = open[l] {
                sections[i].span.end = line.span.start;
            }
            open[l] = None;
            if l > lv {
                last[l] = 0;
            }
        }
        last[lv] = m.ordinal;
        let parent = (1..lv).rev().find_map(|l| open[l]);
        let id = match parent {
            Some(p) => format!("{}.{}", sections[p].id, m.ordinal),
            None => m.ordinal.to_string(),
        };
        let own = cfg.role_of(title);
        // Inside a review, subsections tell what was done: only a problems
        // subsection plays a role of its own.
        let role = match parent.and_then(|p| sections[p].role) {
            Some(Role::Review) if own != Some(Role::Problems) => None,
            _ => own,
        };
        let title_start = line.span.start + m.len + (rest.len() - rest.trim_start().len());
        sections.push(Section {
            id,
            level: m.level,
            marker: line.text[..m.len].to_string(),
            title: title.to_string(),
            heading: line.span.start..title_start + title.len(),
            span: line.span.start..doc_end,
            role,
            parent,
            period: None,
        });
        open[lv] = Some(sections.len() - 1);
    }
    for i in open.into_iter().flatten() {
        sections[i].span.end = doc_end;
    }
    sections
}

/// The entries of a glossary: lines opening with a term and a colon
/// (“三服务”：服务企业… or 两难：…), each a section with the term as title.
pub fn glossary_entries(lines: &[Line<'_>], doc_end: usize) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for line in lines {
        let Some(colon) = line.text.find(['：', ':']) else {
            continue;
        };
        let term = line.text[..colon].trim();
        let n = term.chars().count();
        if n == 0 || n > 30 || term.ends_with(['。', '，', '；']) {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.span.end = line.span.start;
        }
        let quoted = term.strip_prefix('“').and_then(|t| t.strip_suffix('”'));
        let title = quoted
            .filter(|t| !t.contains(['“', '”']))
            .unwrap_or(term)
            .to_string();
        let k = out.len() + 1;
        out.push(Section {
            id: k.to_string(),
            level: 1,
            marker: String::new(),
            title,
            heading: line.span.start..line.span.start + colon,
            span: line.span.start..doc_end,
            role: Some(Role::GlossaryEntry),
            parent: None,
            period: None,
        });
    }
    out
}

/// Roles that a section inherits when its own title names none: a child of a
/// review section is review, and so on. Done at read time by
/// [`crate::model::Document::role_at`]; this helper says whether a role is a
/// looking-back one.
pub fn is_retrospective(role: Role) -> bool {
    matches!(role, Role::Review)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_by_level() {
        assert_eq!(
            marker("一、2017年工作回顾").map(|m| (m.level, m.ordinal)),
            Some((1, 1))
        );
        assert_eq!(
            marker("十二、结束语").map(|m| (m.level, m.ordinal)),
            Some((1, 12))
        );
        assert_eq!(
            marker("（三）深化改革").map(|m| (m.level, m.ordinal)),
            Some((2, 3))
        );
        assert_eq!(
            marker("2.全力推进校园建设").map(|m| (m.level, m.ordinal)),
            Some((3, 2))
        );
        assert_eq!(
            marker("12、开展送演出").map(|m| (m.level, m.ordinal)),
            Some((3, 12))
        );
        assert_eq!(
            marker("（4）提升").map(|m| (m.level, m.ordinal)),
            Some((4, 4))
        );
        assert_eq!(
            marker("第二部分 主要任务").map(|m| (m.level, m.ordinal)),
            Some((1, 2))
        );
        assert_eq!(marker("2.5万人次参与"), None);
        assert_eq!(marker("一年来，我们"), None);
        assert_eq!(marker("2017年"), None);
        assert_eq!(
            marker("二是加快产业升级，推动…").map(|m| (m.level, m.ordinal)),
            Some((5, 2))
        );
        assert_eq!(marker("是否"), None);
    }

    #[test]
    fn glossary_terms_become_entries() {
        let t = "“三服务”：服务企业、服务群众。\n“1+10”重点项目：十个项目。\n这一行不是词条，只是说明。";
        let ls = crate::lines::lines_in(t, 0..t.len());
        let e: Vec<String> = glossary_entries(&ls, t.len())
            .into_iter()
            .map(|s| s.title)
            .collect();
        assert_eq!(e, ["三服务", "“1+10”重点项目"]);
    }

    #[test]
    fn run_in_heading_title_stops_at_sentence_end() {
        assert_eq!(
            heading_title("经济运行态势良好。自觉践行新发展理念"),
            "经济运行态势良好"
        );
        assert_eq!(heading_title("2018年重点工作"), "2018年重点工作");
    }
}
