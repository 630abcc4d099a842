//! What makes a target a target: how firmly it is worded, what it compares
//! against, and the targets that carry no number (与经济增长同步).
//! The wording words (hard, soft, expected) and the goal words are tables
//! in `data/figure_words.toml` ([`crate::words`]).

use crate::words::Words;
use gwr_doc::{DocType, Document, Role};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How firmly a target is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    /// 确保, 必须, 务必: binding.
    Hard,
    /// 力争, 争取, 努力: aspirational.
    Soft,
    /// 预期, 左右: expected.
    Expected,
    /// No wording word.
    Plain,
}

impl Wording {
    /// The name serde gives the wording (`hard`, `soft`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Wording::Hard => "hard",
            Wording::Soft => "soft",
            Wording::Expected => "expected",
            Wording::Plain => "plain",
        }
    }
}

/// Wording rule: how firmly a target is worded, decided per clause. The
/// clause's own words first; else the sentence's preamble, which governs the
/// whole list: the words before its colon ("2024年主要预期目标为：…"), or
/// else its first clause with a figure ("确保全年地区生产总值增长8%，…"). In
/// each, hard words first, then soft words (the stretch
/// words 力争 and the `soft_words`), then expected words
/// (`data/figure_words.toml`). A 力争 in one clause of a list leaves the
/// other clauses to the preamble: "主要预期目标为：地区生产总值增长10.5%，
/// 财政收入增长10%、力争增长12%" → expected, then soft.
pub fn wording(evidence: &str, sentence: &str) -> Wording {
    let words = Words::builtin();
    let clause = clause_of(evidence, sentence);
    let preamble = match sentence.find(['：', ':']) {
        Some(i) => &sentence[..i],
        None => sentence
            .split(['，', '；', ',', ';'])
            .find(|c| c.bytes().any(|b| b.is_ascii_digit()))
            .unwrap_or(""),
    };
    for text in [clause, preamble] {
        if words.hard_words.found_in(text) {
            return Wording::Hard;
        }
        if words.stretch_words.found_in(text) || words.soft_words.found_in(text) {
            return Wording::Soft;
        }
        if words.expected_words.found_in(text) {
            return Wording::Expected;
        }
    }
    Wording::Plain
}

/// The clause of `sentence` (between ，；。) that holds `evidence`, or the
/// evidence itself when the sentence does not hold it.
fn clause_of<'a>(evidence: &'a str, sentence: &'a str) -> &'a str {
    const STOPS: [char; 6] = ['，', '；', '。', ',', ';', '：'];
    let Some(at) = (!evidence.is_empty())
        .then(|| sentence.find(evidence))
        .flatten()
    else {
        return evidence;
    };
    let start = sentence[..at].rfind(STOPS).map_or(0, |i| {
        i + sentence[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = sentence[at + evidence.len()..]
        .find(STOPS)
        .map_or(sentence.len(), |i| at + evidence.len() + i);
    &sentence[start.min(at)..end]
}

/// Targets without a number, from the sentences that list the year's main
/// goals (主要预期目标是：…；城乡居民收入与经济增长同步；…): each clause of
/// such a sentence with no figure and a goal word (`goal_list_cues` and
/// `goal_words` in `data/figure_words.toml`). Returns spans in the
/// normalized text and the clause.
pub fn qualitative(text: &str, doc: &Document) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    if doc.doc_type == DocType::Glossary {
        return out;
    }
    let words = Words::builtin();
    let body = doc.header.end.max(doc.span.start)..doc.span.end;
    for line in gwr_doc::lines::lines_in(text, body) {
        for sr in gwr_doc::lines::sentences(text, line.span.clone()) {
            let s = &text[sr.clone()];
            let listing = words.goal_list_cues.found_in(s);
            if !listing || matches!(doc.role_at(sr.start), Some(Role::Review | Role::Problems)) {
                continue;
            }
            let start = s.find('：').map_or(0, |i| i + '：'.len_utf8());
            let mut pos = start;
            for clause in s[start..].split_inclusive(['；', '，', '。']) {
                let c = clause.trim_end_matches(['；', '，', '。']);
                let from = pos;
                pos += clause.len();
                let has_number = c.chars().any(|ch| ch.is_ascii_digit());
                if has_number || c.chars().count() < 4 {
                    continue;
                }
                if words.goal_words.found_in(c) && !c.contains("目标") {
                    out.push((sr.start + from..sr.start + from + c.len(), c.to_string()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwr_doc::{DocConfig, Gazetteer, analyze};

    #[test]
    fn wording_from_clause_then_sentence() {
        assert_eq!(wording("确保完成上级下达任务", ""), Wording::Hard);
        assert_eq!(
            wording("地区生产总值增长4%以上、力争5.5%", ""),
            Wording::Soft
        );
        assert_eq!(wording("地区生产总值增长6%左右", ""), Wording::Expected);
        assert_eq!(
            wording("新增城镇就业1万人", "主要预期目标是：新增城镇就业1万人"),
            Wording::Expected
        );
        assert_eq!(
            wording("新增城镇就业1万人", "新增城镇就业1万人"),
            Wording::Plain
        );
        // One clause's 力争 is that clause's; the preamble governs the rest.
        let s =
            "主要预期目标为：地区生产总值增长10.5%，财政收入增长10%、力争增长12%，登记失业率4%以内";
        assert_eq!(wording("地区生产总值增长10.5%", s), Wording::Expected);
        assert_eq!(wording("财政收入增长10%、力争增长12%", s), Wording::Soft);
        assert_eq!(wording("登记失业率4%以内", s), Wording::Expected);
        assert_eq!(
            wording("财政收入增长10%", "确保地区生产总值增长8%，财政收入增长10%"),
            Wording::Hard
        );
        assert_eq!(
            wording("新建学校5所", "新建道路10公里，力争新建学校5所"),
            Wording::Soft
        );
        assert_eq!(
            wording("新建道路10公里", "新建道路10公里，力争新建学校5所"),
            Wording::Plain
        );
        // A year before the colon is no figure of the list.
        let s = "2012年主要预期目标为:地区生产总值增长10.5%,力争财政收入增长12%";
        assert_eq!(wording("地区生产总值增长10.5%", s), Wording::Expected);
        assert_eq!(
            wording(
                "财政收入增长10%",
                "今年，力争地区生产总值增长8%，财政收入增长10%"
            ),
            Wording::Soft
        );
    }

    #[test]
    fn goals_without_numbers() {
        let t = "各位代表：\n现在，我代表县人民政府向大会报告工作。\n一、2022年工作回顾\n正文。\n二、2023年工作安排\n今年主要预期目标是：地区生产总值增长6%左右；城乡居民收入与经济增长基本同步；完成上级下达的节能减排任务；生态环境持续改善。\n";
        let docs = analyze(t, DocConfig::builtin(), Gazetteer::builtin());
        let q: Vec<String> = docs
            .iter()
            .flat_map(|d| qualitative(t, d))
            .map(|x| x.1)
            .collect();
        assert_eq!(
            q,
            [
                "城乡居民收入与经济增长基本同步",
                "完成上级下达的节能减排任务",
                "生态环境持续改善"
            ]
        );
    }
}
