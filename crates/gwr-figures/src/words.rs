//! The words figures are read with (verbs of change, qualifiers, fillers,
//! cues of kind and time, target wording, commitment stages), read once
//! from `data/figure_words.toml`. Each table there says what its words do;
//! tables keep the order they are written in, which matters where the first
//! match wins.

use crate::model::Qualifier;
use serde::Deserialize;
use std::sync::OnceLock;

const WORDS_TOML: &str = include_str!("../../../data/figure_words.toml");

#[derive(Debug, Deserialize)]
struct SignedWord {
    word: String,
    sign: f64,
}

#[derive(Debug, Deserialize)]
struct QualifierWord {
    word: String,
    qualifier: Qualifier,
}

#[derive(Debug, Deserialize)]
struct YearsWord {
    word: String,
    years: i32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordFile {
    change_verbs: Vec<SignedWord>,
    fillers: Vec<String>,
    at_most_fillers: Vec<String>,
    before_qualifiers: Vec<QualifierWord>,
    after_qualifiers: Vec<QualifierWord>,
    strict_at_most: Vec<String>,
    to_level: Vec<String>,
    from_words: Vec<String>,
    stretch_words: Vec<String>,
    stretch_verbs: Vec<String>,
    average_words: Vec<String>,
    growth_name_endings: Vec<String>,
    doing_verbs: Vec<String>,
    small_count_units: Vec<String>,
    list_count_words: Vec<String>,
    list_count_units: Vec<String>,
    more_after_doubling: Vec<String>,
    continuations: Vec<String>,
    continuation_time_words: Vec<String>,
    clause_leaders: Vec<String>,
    phrase_end_verbs: Vec<String>,
    phrase_end_keeps: Vec<String>,
    count_classifiers: Vec<String>,
    counted_noun_stops: Vec<String>,
    object_verbs: Vec<String>,
    object_verb_nouns: Vec<String>,
    class_suffixes: Vec<String>,
    basis_openers: Vec<String>,
    basis_closers: Vec<String>,
    comparison_bases: Vec<String>,
    function_chars: String,
    deng_word_heads: String,
    subject_noise: Vec<String>,
    part_topic_openers: Vec<String>,
    part_topic_words: Vec<String>,
    share_before: Vec<String>,
    share_after: Vec<String>,
    comparison_words: Vec<String>,
    sentence_base_after: Vec<String>,
    multiple_of_words: Vec<String>,
    estimate_words: Vec<String>,
    target_words: Vec<String>,
    five_year_cues: Vec<String>,
    same_below: Vec<String>,
    milestone_words: Vec<String>,
    past_year_openers: Vec<String>,
    one_year_words: Vec<String>,
    flow_words: Vec<String>,
    plan_first_years: Vec<YearsWord>,
    plan_whole: Vec<String>,
    hard_words: Vec<String>,
    soft_words: Vec<String>,
    expected_words: Vec<String>,
    goal_list_cues: Vec<String>,
    goal_words: Vec<String>,
    enterprise_service_words: Vec<String>,
    key_project_words: Vec<String>,
    vote_words: Vec<String>,
    done_words: Vec<String>,
    final_words: Vec<String>,
    quoted_list_openers: Vec<String>,
}

/// The word tables of `data/figure_words.toml`, in file order. See the file
/// for what each table does.
#[derive(Debug)]
pub struct Words {
    pub change_verbs: Vec<(String, f64)>,
    pub fillers: Vec<String>,
    pub at_most_fillers: Vec<String>,
    pub before_qualifiers: Vec<(String, Qualifier)>,
    pub after_qualifiers: Vec<(String, Qualifier)>,
    pub strict_at_most: Vec<String>,
    pub to_level: Vec<String>,
    pub from_words: Vec<String>,
    pub stretch_words: Vec<String>,
    pub stretch_verbs: Vec<String>,
    pub average_words: Vec<String>,
    pub growth_name_endings: Vec<String>,
    pub doing_verbs: Vec<String>,
    pub small_count_units: Vec<String>,
    pub list_count_words: Vec<String>,
    pub list_count_units: Vec<String>,
    pub more_after_doubling: Vec<String>,
    pub continuations: Vec<String>,
    pub continuation_time_words: Vec<String>,
    pub clause_leaders: Vec<String>,
    pub phrase_end_verbs: Vec<String>,
    pub phrase_end_keeps: Vec<String>,
    pub count_classifiers: Vec<String>,
    pub counted_noun_stops: Vec<String>,
    pub object_verbs: Vec<String>,
    pub object_verb_nouns: Vec<String>,
    pub class_suffixes: Vec<String>,
    pub basis_openers: Vec<String>,
    pub basis_closers: Vec<String>,
    pub comparison_bases: Vec<String>,
    pub function_chars: String,
    pub deng_word_heads: String,
    pub subject_noise: Vec<String>,
    pub part_topic_openers: Vec<String>,
    pub part_topic_words: Vec<String>,
    pub share_before: Vec<String>,
    pub share_after: Vec<String>,
    pub comparison_words: Vec<String>,
    pub sentence_base_after: Vec<String>,
    pub multiple_of_words: Vec<String>,
    pub estimate_words: Vec<String>,
    pub target_words: Vec<String>,
    pub five_year_cues: Vec<String>,
    /// `five_year_cues` as one automaton (the first cue in a paragraph).
    pub five_year_finder: aho_corasick::AhoCorasick,
    pub same_below: Vec<String>,
    pub milestone_words: Vec<String>,
    pub past_year_openers: Vec<String>,
    pub one_year_words: Vec<String>,
    pub flow_words: Vec<String>,
    pub plan_first_years: Vec<(String, i32)>,
    pub plan_whole: Vec<String>,
    pub hard_words: Vec<String>,
    pub soft_words: Vec<String>,
    pub expected_words: Vec<String>,
    pub goal_list_cues: Vec<String>,
    pub goal_words: Vec<String>,
    pub enterprise_service_words: Vec<String>,
    pub key_project_words: Vec<String>,
    pub vote_words: Vec<String>,
    pub done_words: Vec<String>,
    pub final_words: Vec<String>,
    pub quoted_list_openers: Vec<String>,
}

/// Does `text` contain any of `words`?
pub fn contains_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.contains(w.as_str()))
}

/// Does `text` end with any of `words`?
pub fn ends_with_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.ends_with(w.as_str()))
}

/// Does `text` start with any of `words`?
pub fn starts_with_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.starts_with(w.as_str()))
}

impl Words {
    pub fn from_toml(text: &str) -> Result<Words, String> {
        let f: WordFile = toml::from_str(text).map_err(|e| format!("figure words: {e}"))?;
        let five_year_finder = aho_corasick::AhoCorasick::new(&f.five_year_cues)
            .map_err(|e| format!("figure words: five_year_cues: {e}"))?;
        let signed = |v: Vec<SignedWord>| v.into_iter().map(|w| (w.word, w.sign)).collect();
        let qualified =
            |v: Vec<QualifierWord>| v.into_iter().map(|w| (w.word, w.qualifier)).collect();
        Ok(Words {
            change_verbs: signed(f.change_verbs),
            fillers: f.fillers,
            at_most_fillers: f.at_most_fillers,
            before_qualifiers: qualified(f.before_qualifiers),
            after_qualifiers: qualified(f.after_qualifiers),
            strict_at_most: f.strict_at_most,
            to_level: f.to_level,
            from_words: f.from_words,
            stretch_words: f.stretch_words,
            stretch_verbs: f.stretch_verbs,
            average_words: f.average_words,
            growth_name_endings: f.growth_name_endings,
            doing_verbs: f.doing_verbs,
            small_count_units: f.small_count_units,
            list_count_words: f.list_count_words,
            list_count_units: f.list_count_units,
            more_after_doubling: f.more_after_doubling,
            continuations: f.continuations,
            continuation_time_words: f.continuation_time_words,
            clause_leaders: f.clause_leaders,
            phrase_end_verbs: f.phrase_end_verbs,
            phrase_end_keeps: f.phrase_end_keeps,
            count_classifiers: f.count_classifiers,
            counted_noun_stops: f.counted_noun_stops,
            object_verbs: f.object_verbs,
            object_verb_nouns: f.object_verb_nouns,
            class_suffixes: f.class_suffixes,
            basis_openers: f.basis_openers,
            basis_closers: f.basis_closers,
            comparison_bases: f.comparison_bases,
            function_chars: f.function_chars,
            deng_word_heads: f.deng_word_heads,
            subject_noise: f.subject_noise,
            part_topic_openers: f.part_topic_openers,
            part_topic_words: f.part_topic_words,
            share_before: f.share_before,
            share_after: f.share_after,
            comparison_words: f.comparison_words,
            sentence_base_after: f.sentence_base_after,
            multiple_of_words: f.multiple_of_words,
            estimate_words: f.estimate_words,
            target_words: f.target_words,
            five_year_cues: f.five_year_cues,
            five_year_finder,
            same_below: f.same_below,
            milestone_words: f.milestone_words,
            past_year_openers: f.past_year_openers,
            one_year_words: f.one_year_words,
            flow_words: f.flow_words,
            plan_first_years: f
                .plan_first_years
                .into_iter()
                .map(|w| (w.word, w.years))
                .collect(),
            plan_whole: f.plan_whole,
            hard_words: f.hard_words,
            soft_words: f.soft_words,
            expected_words: f.expected_words,
            goal_list_cues: f.goal_list_cues,
            goal_words: f.goal_words,
            enterprise_service_words: f.enterprise_service_words,
            key_project_words: f.key_project_words,
            vote_words: f.vote_words,
            done_words: f.done_words,
            final_words: f.final_words,
            quoted_list_openers: f.quoted_list_openers,
        })
    }

    /// The tables shipped with gwr.
    pub fn builtin() -> &'static Words {
        static W: OnceLock<Words> = OnceLock::new();
        W.get_or_init(|| Words::from_toml(WORDS_TOML).expect("bundled figure words are valid"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_tables_load_in_file_order() {
        let w = Words::builtin();
        assert_eq!(w.change_verbs.first(), Some(&("年均增长".to_string(), 1.0)));
        assert_eq!(w.change_verbs.last(), Some(&("降".to_string(), -1.0)));
        assert_eq!(
            w.after_qualifiers.first(),
            Some(&("左右".to_string(), Qualifier::About))
        );
        assert_eq!(w.plan_first_years[1], ("前三年".to_string(), 3));
        assert!(w.stretch_words.iter().any(|s| s == "力争"));
    }

    #[test]
    fn longer_verbs_come_before_the_verbs_they_end_with() {
        // The first verb a clause ends with wins: 年均增长 must be tried
        // before 增长, 增长 before 增.
        let w = Words::builtin();
        let at = |v: &str| w.change_verbs.iter().position(|(x, _)| x == v);
        assert!(at("年均增长") < at("增长"));
        assert!(at("增长") < at("增"));
        assert!(at("下降") < at("降"));
    }

    #[test]
    fn unknown_tables_are_an_error() {
        let e = Words::from_toml("nonsense = [\"x\"]\n")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("figure words:"), "{e}");
    }
}
