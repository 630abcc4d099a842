//! Commitments: 民生实事 projects and other announced lists of things to do
//! (为企业办实事, key projects), with the count announced, each item's title,
//! text and figures, and their stage (candidate, final, completed).
//!
//! A list is found from its anchor sentence, which names a count and a kind
//! of project (形成了以下12件候选项目 · 经大会票选确定如下10件为正式的政府实事项目
//! · 形成12件民生实事候选项目，分别是“…”、“…”). Items follow the anchor as
//! inline numbered points (（1）…（2）…), Chinese ordinals after the anchor's
//! colon (办好8件实事：一是…。二是…。), numbered lines (1. … / 2、…), or a
//! quoted list (分别是“A”、“B”). In a review, a sentence saying such projects
//! were done (十件民生实事全部完成) is a completion statement.
//!
//! The words of kinds, stages and lists (为企业办实事, 票决确定, 全部完成,
//! 分别是) are tables in `data/figure_words.toml` ([`crate::words`]).

use crate::numbers::scan_arabic;
use crate::units::Units;
use crate::words::Words;
use gwr_doc::{DocType, Document, Role};
use serde::{Deserialize, Serialize};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentKind {
    LivelihoodProject,
    EnterpriseService,
    KeyProject,
}

impl CommitmentKind {
    /// The name serde gives the kind (`livelihood_project`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentKind::LivelihoodProject => "livelihood_project",
            CommitmentKind::EnterpriseService => "enterprise_service",
            CommitmentKind::KeyProject => "key_project",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Proposed, to be chosen (候选项目).
    Candidate,
    /// Fixed, e.g. by the deputies' vote (票决确定).
    Final,
    /// Reported as done (全部完成).
    Completed,
    /// Announced without a stage word.
    Announced,
}

impl Stage {
    /// The name serde gives the stage (`candidate`, `final`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Candidate => "candidate",
            Stage::Final => "final",
            Stage::Completed => "completed",
            Stage::Announced => "announced",
        }
    }
}

/// A figure inside an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFigure {
    pub value: f64,
    pub unit: String,
}

/// One commitment: an item of a list, or a completion statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub kind: CommitmentKind,
    pub stage: Stage,
    /// 1-based position in its list (`None` for a completion statement).
    pub index: Option<usize>,
    pub title: Option<String>,
    pub text: String,
    pub figures: Vec<ItemFigure>,
    /// How many items the anchor announced (12件候选项目 → 12).
    pub announced: Option<u32>,
    /// Span of the item (or statement) in the normalized text.
    #[serde(skip)]
    pub span: Range<usize>,
}

fn kind_of(s: &str) -> Option<CommitmentKind> {
    if !s.contains("实事") && !s.contains("项目") {
        return None;
    }
    let words = Words::builtin();
    if words.enterprise_service_words.found_in(s) {
        Some(CommitmentKind::EnterpriseService)
    } else if s.contains("实事") {
        Some(CommitmentKind::LivelihoodProject)
    } else if words.key_project_words.found_in(s) {
        Some(CommitmentKind::KeyProject)
    } else {
        None
    }
}

/// The count an anchor announces: a number right before 件/项/个/方面.
fn announced_count(s: &str) -> Option<u32> {
    let arabic = scan_arabic(s)
        .into_iter()
        .filter(|n| !n.masked && s[n.span.end..].starts_with(['件', '项', '个']))
        .map(|n| (n.span.start, n.value));
    let chinese = crate::numbers::scan_chinese(s)
        .into_iter()
        .filter(|n| {
            let after = &s[n.span.end..];
            after.starts_with(['件', '项']) || after.starts_with("个方面")
        })
        .map(|n| (n.span.start, n.value));
    // The first count named is the list's.
    arabic
        .chain(chinese)
        .min_by_key(|(p, _)| *p)
        .map(|(_, v)| v as u32)
}

fn figures(s: &str, units: &Units) -> Vec<ItemFigure> {
    scan_arabic(s)
        .into_iter()
        .filter(|n| !n.masked)
        .filter_map(|n| {
            let after = &s[n.span.end..];
            if after.starts_with('年') && n.span.end - n.span.start == 4 {
                return None;
            }
            let unit = units.at_start(after).map(|u| u.name.clone())?;
            Some(ItemFigure {
                value: n.value,
                unit,
            })
        })
        .collect()
}

/// Numbered point markers inside a paragraph: （1） or (1).
fn inline_points(s: &str) -> Vec<(usize, usize, u32)> {
    let mut out = Vec::new();
    for (i, _) in s.match_indices('（') {
        let rest = &s[i + '（'.len_utf8()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && rest[digits.len()..].starts_with('）') {
            let len = '（'.len_utf8() + digits.len() + '）'.len_utf8();
            if let Ok(n) = digits.parse() {
                out.push((i, i + len, n));
            }
        }
    }
    // Keep a run 1, 2, 3, … only.
    let mut run = Vec::new();
    for p in out {
        if p.2 as usize == run.len() + 1 {
            run.push(p);
        }
    }
    run
}

/// Chinese ordinal points inside a paragraph: 一是…。二是…。 (at the start or
/// after ：。；，), kept while they run 1, 2, 3, ….
fn ordinal_points(s: &str) -> Vec<(usize, usize, u32)> {
    let mut run: Vec<(usize, usize, u32)> = Vec::new();
    for (i, _) in s.match_indices('是') {
        let head = &s[..i];
        let Some(c) = head.chars().next_back() else {
            continue;
        };
        let start = i - c.len_utf8();
        let opens = s[..start]
            .chars()
            .next_back()
            .is_none_or(|p| matches!(p, '：' | '。' | '；' | '，' | ':'));
        let Some(n) = crate::numbers::parse_chinese(&c.to_string()).filter(|_| opens) else {
            continue;
        };
        if n as usize == run.len() + 1 {
            run.push((start, i + '是'.len_utf8(), n as u32));
        }
    }
    // A lone 一是 is a way of speaking, not a list.
    if run.len() < 2 {
        run.clear();
    }
    run
}

/// A numbered line: "1. …" / "1、…" / "（1）…" → (ordinal, text after the marker).
fn numbered_line(line: &str) -> Option<(u32, &str)> {
    let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 2 {
        let rest = &line[digits.len()..];
        let rest = rest.strip_prefix(['.', '、', '．'])?;
        return Some((digits.parse().ok()?, rest.trim_start()));
    }
    let rest = line.strip_prefix('（')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].strip_prefix('）')?;
    Some((digits.parse().ok()?, after.trim_start()))
}

/// An item's title: its first sentence when short (教育配套建设项目。…),
/// else its first clause.
fn title_of(item: &str) -> Option<String> {
    let first = item.split(['。', '；', '：']).next().unwrap_or("").trim();
    let n = first.chars().count();
    if n == 0 {
        return None;
    }
    if n <= 30 {
        return Some(first.to_string());
    }
    let clause = first.split('，').next().unwrap_or(first);
    (clause.chars().count() <= 30).then(|| clause.to_string())
}

/// Quoted names after 分别是 / 包括: “A”、“B”、….
fn quoted_list(s: &str) -> Vec<(Range<usize>, String)> {
    let Some(at) = (Words::builtin().quoted_list_openers.iter())
        .filter_map(|w| s.find(w.as_str()).map(|i| i + w.len()))
        .min()
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut rest_at = at;
    loop {
        let rest = &s[rest_at..];
        let Some(open) = rest.find('“') else { break };
        // Only separators between items.
        if !rest[..open]
            .chars()
            .all(|c| matches!(c, '、' | '和' | '及' | '，' | ' '))
        {
            break;
        }
        let body_start = rest_at + open + '“'.len_utf8();
        let Some(close) = s[body_start..].find('”') else {
            break;
        };
        let mut end = body_start + close + '”'.len_utf8();
        // A title may go on after the quote (“学有优教”在上城).
        let tail: String = s[end..]
            .chars()
            .take_while(|c| !matches!(c, '、' | '，' | '。' | '；' | '“' | '（' | '(' | '和'))
            .collect();
        if tail.chars().count() <= 8 {
            end += tail.len();
        }
        out.push((rest_at + open..end, s[rest_at + open..end].to_string()));
        rest_at = end;
    }
    out
}

/// The commitments of one document.
pub fn extract(text: &str, doc: &Document, units: &Units) -> Vec<Commitment> {
    // Without a deadline the budget never runs out.
    extract_within(text, doc, units, &gwr_text::Budget::default()).unwrap_or_default()
}

/// [`extract`] within a file's budget: `Err(TimedOut)` once its deadline
/// has passed (checked at every sentence).
pub fn extract_within(
    text: &str,
    doc: &Document,
    units: &Units,
    budget: &gwr_text::Budget,
) -> Result<Vec<Commitment>, gwr_text::ReadError> {
    let mut out = Vec::new();
    if doc.doc_type == DocType::Glossary {
        return Ok(out);
    }
    let words = Words::builtin();
    let body = doc.header.end.max(doc.span.start)..doc.span.end;
    let lines = gwr_doc::lines::lines_in(text, body);
    let mut k = 0;
    while k < lines.len() {
        let line = &lines[k];
        k += 1;
        // A line naming no project, 实事 or vote holds no commitment.
        if !line.text.contains("实事")
            && !line.text.contains("项目")
            && !words.vote_words.found_in(line.text)
            || doc.is_furniture(line.span.start)
        {
            continue;
        }
        let line_kind = std::cell::OnceCell::new();
        for sr in gwr_doc::lines::sentences(text, line.span.clone()) {
            budget.check()?;
            let s = &text[sr.clone()];
            // Candidate lists for the deputies' vote are livelihood projects.
            let voted = words.vote_words.found_in(s);
            let Some(kind) = kind_of(s)
                .or_else(|| {
                    s.contains("项目")
                        .then(|| *line_kind.get_or_init(|| kind_of(line.text)))
                        .flatten()
                })
                .or(voted.then_some(CommitmentKind::LivelihoodProject))
            else {
                continue;
            };
            let count = announced_count(s);
            let role = doc.role_at(sr.start);
            let done = words.done_words.found_in(s);
            if matches!(role, Some(Role::Review)) && done && count.is_some() {
                // The statement itself: from the clause naming the projects
                // to the end of the sentence.
                let at = s.find("实事").or_else(|| s.find("项目")).unwrap_or(0);
                let from = s[..at]
                    .rfind(['，', '；', '：'])
                    .map_or(0, |i| i + '，'.len_utf8());
                let stmt = s[from..].trim_end_matches('。');
                out.push(Commitment {
                    kind,
                    stage: Stage::Completed,
                    index: None,
                    title: None,
                    text: stmt.to_string(),
                    figures: figures(s, units),
                    announced: count,
                    span: sr.clone(),
                });
                continue;
            }
            let Some(count) = count else { continue };
            if !(s.contains("项目") || s.contains("实事")) || done {
                continue;
            }
            let stage = if s.contains("候选") {
                Stage::Candidate
            } else if words.final_words.found_in(s) {
                Stage::Final
            } else {
                Stage::Announced
            };
            let mut items: Vec<(usize, Range<usize>, Option<String>)> = Vec::new();
            // Quoted list in the anchor sentence itself.
            for (i, (r, name)) in quoted_list(s).into_iter().enumerate() {
                items.push((i + 1, sr.start + r.start..sr.start + r.end, Some(name)));
            }
            // Inline points after the anchor in the same paragraph.
            if items.is_empty() {
                // Points may start inside the anchor sentence (…项目：（1）…。).
                let from = text[sr.start..line.span.end]
                    .find("（1）")
                    .map(|i| sr.start + i)
                    .filter(|p| *p <= sr.end + 3);
                // The points must follow this anchor, not a later one.
                let after = from.unwrap_or(line.span.end)..line.span.end;
                // 办好8件实事：一是…。二是…。: Chinese ordinals after the
                // anchor's colon, when no （1） follows it.
                let ordinals = from
                    .is_none()
                    .then(|| text[sr.clone()].rfind('：').map(|c| sr.start + c))
                    .flatten()
                    .map(|c| (c, ordinal_points(&text[c..line.span.end])))
                    .filter(|(_, pts)| !pts.is_empty());
                let (after, pts) = match ordinals {
                    Some((c, pts)) => (c..line.span.end, pts),
                    None => (after.clone(), inline_points(&text[after])),
                };
                let rest = &text[after.clone()];
                for (j, &(a, b, n)) in pts.iter().enumerate() {
                    let end = pts.get(j + 1).map_or_else(
                        || {
                            // The last point ends at its paragraph's closing remark.
                            let tail = &rest[b..];
                            let stop = tail
                                .find("。对")
                                .or_else(|| tail.rfind('。').map(|x| x + '。'.len_utf8()))
                                .unwrap_or(tail.len());
                            b + stop
                                + if tail[stop..].starts_with("。对") {
                                    '。'.len_utf8()
                                } else {
                                    0
                                }
                        },
                        |next| next.0,
                    );
                    let item = &rest[b..end];
                    let _ = a;
                    items.push((
                        n as usize,
                        after.start + b..after.start + end,
                        title_of(item),
                    ));
                }
            }
            // Numbered lines after the anchor's paragraph.
            if items.is_empty() && sr.end + 3 >= line.span.end {
                let mut j = k;
                let mut expect = 1;
                while let Some(l) = lines.get(j) {
                    match numbered_line(l.text) {
                        Some((n, rest)) if n == expect => {
                            let start = l.span.end - rest.len();
                            items.push((n as usize, start..l.span.end, title_of(rest)));
                            expect += 1;
                            j += 1;
                        }
                        _ => break,
                    }
                }
                if !items.is_empty() {
                    k = j;
                }
            }
            if items.is_empty() {
                continue;
            }
            let listed = items.len();
            for (index, span, title) in items {
                let t = text[span.clone()].trim().to_string();
                out.push(Commitment {
                    kind,
                    stage,
                    index: Some(index),
                    title,
                    figures: figures(&t, units),
                    text: t,
                    announced: Some(count),
                    span,
                });
            }
            if listed > 0 {
                // The rest of the paragraph is the list itself.
                break;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwr_doc::{DocConfig, Gazetteer, analyze};

    fn run(text: &str) -> Vec<Commitment> {
        let docs = analyze(text, DocConfig::builtin(), Gazetteer::builtin());
        docs.iter()
            .flat_map(|d| extract(text, d, Units::builtin()))
            .collect()
    }

    const HEAD: &str = "政府工作报告\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n一、2022年工作回顾\n十件民生实事全部完成，其中3件超额完成。\n二、2023年工作安排\n";

    #[test]
    fn inline_points_after_a_vote() {
        let t = format!(
            "{HEAD}经大会票决确定如下3件为正式的民生实事项目：（1）学校建设项目。新建小学2所。（2）养老服务项目。新增床位300张。（3）道路改造项目。改造道路5公里。对票决确定的项目，县政府将全力推进。\n"
        );
        let c = run(&t);
        let done: Vec<&Commitment> = c.iter().filter(|x| x.stage == Stage::Completed).collect();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].announced, Some(10));
        let items: Vec<&Commitment> = c.iter().filter(|x| x.stage == Stage::Final).collect();
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].title.as_deref(), Some("养老服务项目"));
        assert_eq!(
            items[1].figures,
            [ItemFigure {
                value: 300.0,
                unit: "张".into()
            }]
        );
        assert!(!items[2].text.contains("对票决"), "{}", items[2].text);
    }

    #[test]
    fn numbered_lines_of_candidates() {
        let t = format!(
            "{HEAD}经过广泛征集，形成了以下3件候选项目：\n1. 新建公园2个。\n2. 改造老旧小区10个。\n3. 新增停车位500个。\n对区人大代表票决确定的项目，区政府将精心组织完成。\n"
        );
        let c: Vec<Commitment> = run(&t)
            .into_iter()
            .filter(|x| x.stage == Stage::Candidate)
            .collect();
        assert_eq!(c.len(), 3);
        assert_eq!(c[2].index, Some(3));
        assert_eq!(c[2].announced, Some(3));
        assert_eq!(c[0].kind, CommitmentKind::LivelihoodProject);
    }

    #[test]
    fn quoted_titles() {
        let t = format!(
            "{HEAD}今年形成3件民生实事候选项目，分别是“学有优教”在某县、“安心康养”在某县、“幸福安居”在某县。\n"
        );
        let c: Vec<Commitment> = run(&t)
            .into_iter()
            .filter(|x| x.stage == Stage::Candidate)
            .collect();
        let titles: Vec<&str> = c.iter().filter_map(|x| x.title.as_deref()).collect();
        assert_eq!(
            titles,
            ["“学有优教”在某县", "“安心康养”在某县", "“幸福安居”在某县"]
        );
    }

    #[test]
    fn no_count_no_list() {
        let t = format!("{HEAD}我们要办好民生实事，让群众更满意。\n");
        assert!(run(&t).iter().all(|x| x.stage == Stage::Completed));
    }

    #[test]
    fn chinese_ordinal_points_after_the_anchor() {
        let t = format!(
            "{HEAD}县政府将着重办好与群众生活密切相关的3件实事：一是加快安置房建设，开工10万平方米。二是改善出行条件，新增公交线路5条。三是提升养老服务水平。各部门要抓好落实。\n"
        );
        let c: Vec<Commitment> = run(&t)
            .into_iter()
            .filter(|x| x.stage != Stage::Completed)
            .collect();
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(c[0].kind, CommitmentKind::LivelihoodProject);
        assert_eq!(c[0].announced, Some(3));
        assert!(c[0].text.starts_with("加快安置房建设"), "{:?}", c[0].text);
        assert_eq!(
            c[0].figures,
            [ItemFigure {
                value: 10.0,
                unit: "万平方米".into()
            }]
        );
        assert!(c[1].text.starts_with("改善出行条件"));
        assert_eq!(c[2].index, Some(3));
        // A lone 一是 is no list; a run must start at one.
        assert!(ordinal_points("：一是要快。").is_empty());
        assert_eq!(ordinal_points("：一是甲。二是乙。四是丁。").len(), 2);
        assert!(ordinal_points("统一是").is_empty());
    }

    #[test]
    fn completed_in_other_words() {
        let t = "政府工作报告\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n一、2022年工作回顾\n我们圆满完成了8件实事和12件代表建议的办理。\n";
        let c = run(t);
        assert!(
            c.iter()
                .any(|x| x.stage == Stage::Completed && x.announced == Some(8)),
            "{c:#?}"
        );
    }
}
