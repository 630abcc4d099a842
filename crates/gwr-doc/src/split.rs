//! Where documents start inside one file, and what type each one is.
//!
//! A document starts at
//! - a glossary title (a short line naming 名词解释), or
//! - a report opening: a greeting line (各位代表：, 同志们：) followed within a
//!   few lines by "我代表…", together with the header block above it (title,
//!   subtitle, date, meeting, speaker: short lines that do not end a sentence), or
//! - a report title line (…工作报告) followed closely by a date or meeting line.
//!
//! Text before the first start belongs to the first document.

use crate::config::DocConfig;
use crate::lines::Line;
use crate::model::DocType;
use gwr_text::chars_at_most;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// One document's extent before its metadata is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub span: Range<usize>,
    /// Header block lines (indices into the file's lines).
    pub header_lines: Range<usize>,
    /// Index of the opening (greeting) line, if any.
    pub opening: Option<usize>,
    pub doc_type: DocType,
}

/// The sentence that opens a report: "我代表区人民政府向大会报告工作",
/// "我代表国务院，作政府工作报告", "向全会报告工作".
static OPENING_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"我代表[^。！]{0,40}?(?:报告|作[^。！]{0,10}报告)|向(?:大会|全会|会议)[^。！]{0,6}报告",
    )
    .expect("opening pattern")
});

const GREETINGS: &[&str] = &["各位代表", "同志们", "各位委员", "代表们", "各位人大代表"];

pub(crate) fn is_glossary_title(line: &str) -> bool {
    chars_at_most(line, 40)
        && (line.contains("名词解释")
            || line.contains("名词注释")
            || line == "注释"
            || line == "名词解释")
}

pub(crate) fn is_greeting(line: &str) -> bool {
    GREETINGS.iter().any(|g| {
        line.strip_prefix(g)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['：', '，', '！', ':', ',']))
    })
}

fn has_date(line: &str) -> bool {
    let b = line.find('年');
    let m = line.find('月');
    let d = line.find('日');
    matches!((b, m, d), (Some(b), Some(m), Some(d)) if b < m && m < d)
}

pub(crate) fn is_meeting_line(line: &str) -> bool {
    (line.contains("会议") || line.contains("全会") || line.contains("大会"))
        && (line.contains('在') || line.contains('经'))
        && chars_at_most(line, 60)
}

/// A header line: short, does not end a sentence, is no heading.
fn is_header_like(line: &str, cfg: &DocConfig) -> bool {
    chars_at_most(line, 60)
        && !line.ends_with(['。', '；', '！', '？', '，'])
        && crate::outline::marker(line).is_none()
        && !is_glossary_title(line)
        && (line.is_ascii() || !cfg.is_furniture(line))
}

/// A header line, or page furniture inside a header block (a breadcrumb, a
/// publication-date bar), which the header walks pass over.
fn in_header(line: &str, cfg: &DocConfig) -> bool {
    is_header_like(line, cfg) || chars_at_most(line, 80) && cfg.is_furniture(line)
}

fn is_report_title(line: &str) -> bool {
    chars_at_most(line, 40)
        && line.contains("报告")
        && !line.ends_with('。')
        && !line.starts_with("——")
}

/// Split a file's lines into documents.
pub fn split(lines: &[Line<'_>], text_len: usize, cfg: &DocConfig) -> Vec<Part> {
    // (start line, header start line, opening line, is glossary)
    let mut starts: Vec<(usize, Option<usize>, bool)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].text;
        if is_glossary_title(t) {
            starts.push((i, None, true));
            i += 1;
            continue;
        }
        let opening = is_greeting(t)
            && lines[i..lines.len().min(i + 4)]
                .iter()
                .any(|l| OPENING_SENTENCE.is_match(l.text));
        // A report title followed by a date or meeting line, unless it is
        // furniture or repeats a line already seen in the current document
        // (a site shows the title again above the real one).
        let doc_from = starts.last().map_or(0, |s| s.0);
        let titled = is_report_title(t)
            && !cfg.is_furniture(t)
            && !lines[doc_from..i].iter().any(|l| l.text == t)
            && lines[i + 1..lines.len().min(i + 5)]
                .iter()
                .any(|l| is_meeting_line(l.text) || has_date(l.text) && chars_at_most(l.text, 30));
        if opening || titled {
            // Walk back over the header block.
            let floor = starts.last().map_or(0, |s| s.0 + 1);
            let mut h = i;
            while h > floor && h + 8 > i && is_header_like(lines[h - 1].text, cfg) {
                h -= 1;
            }
            if opening {
                // The greeting is part of this document; so is a title start
                // recorded just above it.
                if let Some(last) = starts.last_mut()
                    && !last.2
                    && last.1.is_none()
                    && last.0 >= h.saturating_sub(8)
                    && lines[last.0..i].iter().all(|l| in_header(l.text, cfg))
                {
                    last.1 = Some(i);
                } else {
                    starts.push((h, Some(i), false));
                }
            } else if starts.last().is_none_or(|last| {
                // A second title line inside the same header block is no new document.
                last.0 < h
                    && !(!last.2
                        && last.1.is_none()
                        && lines[last.0..i].iter().all(|l| in_header(l.text, cfg)))
            }) {
                starts.push((h, None, false));
            }
        }
        i += 1;
    }
    // A site's summary that repeats the title and the first words above the
    // report (a titled start with no greeting, a report's greeting within a
    // few lines after it) is the report's page header, not a document.
    let mut k = 0;
    while k + 1 < starts.len() {
        let (s0, op0, g0) = starts[k];
        let (s1, op1, g1) = starts[k + 1];
        if !g0 && !g1 && op0.is_none() && op1.is_some() && s1 <= s0 + 10 {
            starts.remove(k);
        } else {
            k += 1;
        }
    }
    if starts.is_empty() {
        starts.push((0, None, false));
    }
    // Leading text before the first start belongs to the first document
    // (its span starts at 0 below).
    let mut parts = Vec::new();
    for (k, &(s, opening, glossary)) in starts.iter().enumerate() {
        let end_line = starts.get(k + 1).map_or(lines.len(), |n| n.0);
        let start_off = if k == 0 { 0 } else { lines[s].span.start };
        let end_off = starts
            .get(k + 1)
            .map_or(text_len, |n| lines[n.0].span.start);
        let header_end = match (opening, glossary) {
            (_, true) => s + 1,
            (Some(o), _) => o,
            (None, _) => {
                // Title start without greeting: header is the run of header-like lines.
                let mut e = s;
                while e < end_line && e < s + 8 && in_header(lines[e].text, cfg) {
                    e += 1;
                }
                e
            }
        };
        let doc_type = if glossary {
            DocType::Glossary
        } else {
            classify(
                &lines[s..end_line],
                header_end.saturating_sub(s),
                opening.map(|o| o - s),
            )
        };
        // Skip leading furniture lines (a magazine's section label) in the header.
        parts.push(Part {
            span: start_off..end_off,
            header_lines: s..header_end.max(s),
            opening,
            doc_type,
        });
    }
    parts
}

/// Decide a report's type from its header and opening lines.
fn classify(lines: &[Line<'_>], header_len: usize, opening: Option<usize>) -> DocType {
    let look = opening
        .map_or(header_len.max(1), |o| o + 4)
        .min(lines.len());
    let head: String = lines[..look]
        .iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    let party = [
        "区委",
        "市委",
        "县委",
        "省委",
        "党委",
        "全会",
        "党代会",
        "常委会",
        "全委会",
        "工委",
    ];
    if opening.is_none() && is_news_of_report(lines) {
        return DocType::Other;
    }
    if head.contains("政府工作报告")
        || head.contains("人民政府")
        || head.contains("代表国务院")
        || head.contains("政府工作")
    {
        return DocType::GovernmentWorkReport;
    }
    if party.iter().any(|p| head.contains(p)) {
        return DocType::PartyCommitteeReport;
    }
    // No header: judge by the first top-level headings.
    let body: String = lines
        .iter()
        .take(400)
        .filter(|l| crate::outline::marker(l.text).is_some_and(|m| m.level == 1))
        .map(|l| l.text)
        .collect();
    if body.contains("政府工作") {
        return DocType::GovernmentWorkReport;
    }
    if lines.iter().take(200).any(|l| {
        l.text.contains("政府工作报告") || l.text.contains("我代表") && l.text.contains("政府")
    }) {
        return DocType::GovernmentWorkReport;
    }
    DocType::Other
}

/// A news item or summary about a report, not the report: its first lines
/// speak of the report in the third person (某某作政府工作报告 · 报告指出 ·
/// 报告要点摘编如下 · 提请…审议的《政府工作报告》) and nobody says 我代表.
fn is_news_of_report(lines: &[Line<'_>]) -> bool {
    let third_person = &crate::words::DocWords::builtin().third_person;
    // In a sentence, not a title (市长某某作政府工作报告（提纲） heads the report itself).
    let told = lines.iter().take(20).any(|l| {
        third_person.iter().any(|w| {
            l.text
                .find(w.as_str())
                .is_some_and(|i| l.text[i..].contains(['。', '，']) || l.text[..i].contains('，'))
        })
    });
    told && !lines.iter().take(60).any(|l| l.text.contains("我代表"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::lines_in;

    fn parts(t: &str) -> Vec<(DocType, String)> {
        let ls = lines_in(t, 0..t.len());
        split(&ls, t.len(), DocConfig::builtin())
            .into_iter()
            .map(|p| {
                (
                    p.doc_type,
                    t[p.span].lines().next().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn four_documents_in_one_file() {
        let t = "开启新征程\n——在区委九届五次全会上的报告\n（2019年12月20日）\n中共某某区委书记张三\n同志们：\n下面，我代表区委常委会，向全会报告工作。\n一、工作回顾\n正文。\n《区委工作报告》名词解释\n“三服务”：服务企业、服务群众、服务基层。\n政府工作报告\n——在某某区第五届人民代表大会第三次会议上\n（2020年1月8日）\n某某区人民政府区长李四\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2019年工作回顾\n正文。\n《政府工作报告》名词解释\n“两难”：难题。\n";
        let p = parts(t);
        assert_eq!(
            p,
            vec![
                (DocType::PartyCommitteeReport, "开启新征程".into()),
                (DocType::Glossary, "《区委工作报告》名词解释".into()),
                (DocType::GovernmentWorkReport, "政府工作报告".into()),
                (DocType::Glossary, "《政府工作报告》名词解释".into()),
            ]
        );
    }

    #[test]
    fn headerless_report_is_one_document() {
        let t = "一、2017年政府工作回顾\n过去一年，我们做了很多。\n二、2018年政府工作主要安排\n今年要做更多。";
        assert_eq!(
            parts(t),
            vec![(
                DocType::GovernmentWorkReport,
                "一、2017年政府工作回顾".into()
            )]
        );
    }

    #[test]
    fn news_of_a_report_is_other() {
        let t = "某某市第五届人民代表大会第三次会议今天开幕\n市长张三代表市人民政府作政府工作报告。报告指出，去年全市生产总值增长6%。";
        assert_eq!(parts(t)[0].0, DocType::Other);
        // The report itself says 我代表.
        let t = "政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作。报告指出的问题要解决。";
        assert_eq!(parts(t)[0].0, DocType::GovernmentWorkReport);
    }

    #[test]
    fn a_title_shown_again_by_a_site_starts_no_document() {
        let t = "某某县人民政府工作报告（全文）\n某某网2020年1月9日转载\n某某县人民政府工作报告（全文）\n——2020年1月8日在某某县第五届人民代表大会第三次会议上\n县长张三\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n一、2019年工作回顾\n正文。";
        assert_eq!(
            parts(t),
            vec![(
                DocType::GovernmentWorkReport,
                "某某县人民政府工作报告（全文）".into()
            )]
        );
    }

    #[test]
    fn furniture_inside_the_header_starts_no_document() {
        let t = "2019政府工作报告定稿\n发布时间：星期三\n政府工作报告\n——2019年1月8日在某某区第五届人民代表大会第三次会议上\n区长李四\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2018年工作回顾\n正文。";
        assert_eq!(parts(t).len(), 1);
    }

    #[test]
    fn a_site_summary_above_the_report_is_its_header() {
        let t = "（某省）2016年某某区人民政府工作报告（全文）\n某站 2021-07-23 政府报告\n（某省）2016年某某区人民政府工作报告（全文）政府工作报告2016年1月21日在某某区第四届人民代表大会第五次会议上区长张三各位代表：现在，我代表区人民政府\n政府工作报告\n2016年1月21日在某某区第四届人民代表大会第五次会议上\n区长张三\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2015年工作回顾\n正文。";
        assert_eq!(parts(t).len(), 1);
    }

    #[test]
    fn closing_greeting_does_not_split() {
        let t = "政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n正文。\n各位代表！\n让我们携手奋进。";
        assert_eq!(parts(t).len(), 1);
    }
}
