//! What makes a target a target: how firmly it is worded, what it compares
//! against, and the targets that carry no number (与经济增长同步).

use gwr_doc::{DocType, Document, Role};
use serde::Serialize;
use std::ops::Range;

/// How firmly a target is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

const HARD: &[&str] = &["确保", "必须", "务必", "坚决"];
const SOFT: &[&str] = &["力争", "争取", "努力", "力求"];
const EXPECTED: &[&str] = &["预期", "预计", "左右"];

/// The wording of a target from its clause (preferred) and its sentence.
pub fn wording(clause: &str, sentence: &str) -> Wording {
    for text in [clause, sentence] {
        if HARD.iter().any(|w| text.contains(w)) {
            return Wording::Hard;
        }
        if SOFT.iter().any(|w| text.contains(w)) {
            return Wording::Soft;
        }
        if EXPECTED.iter().any(|w| text.contains(w)) {
            return Wording::Expected;
        }
    }
    Wording::Plain
}

/// Words that make a clause without a number a goal.
const GOAL_WORDS: &[&str] = &[
    "同步",
    "完成",
    "下达",
    "控制",
    "基本平衡",
    "基本稳定",
    "保持稳定",
    "持续改善",
    "持续增长",
    "稳步提高",
    "稳步增长",
    "协调",
    "达到",
    "基本持平",
    "明显改善",
    "进一步优化",
];

/// Targets without a number, from the sentences that list the year's main
/// goals (主要预期目标是：…；城乡居民收入与经济增长同步；…): each clause of
/// such a sentence with no figure and a goal word. Returns spans in the
/// normalized text and the clause.
pub fn qualitative(text: &str, doc: &Document) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    if doc.doc_type == DocType::Glossary {
        return out;
    }
    let body = doc.header.end.max(doc.span.start)..doc.span.end;
    for line in gwr_doc::lines::lines_in(text, body) {
        for sr in gwr_doc::lines::sentences(text, line.span.clone()) {
            let s = &text[sr.clone()];
            let listing = ["预期目标", "主要目标", "发展目标"]
                .iter()
                .any(|w| s.contains(w));
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
                if GOAL_WORDS.iter().any(|w| c.contains(w)) && !c.contains("目标") {
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
