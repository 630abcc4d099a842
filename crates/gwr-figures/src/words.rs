//! The words figures are read with (verbs of change, qualifiers, fillers,
//! cues of kind and time, target wording, commitment stages), read once
//! from `data/figure_words.toml`. Each table there says what its words do;
//! tables keep the order they are written in, which matters where the first
//! match wins.

use crate::model::Qualifier;
use gwr_text::{TaggedWords, WordList};
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
    fillers: WordList,
    at_most_fillers: WordList,
    before_qualifiers: Vec<QualifierWord>,
    after_qualifiers: Vec<QualifierWord>,
    strict_at_most: WordList,
    to_level: WordList,
    from_words: WordList,
    stretch_words: WordList,
    stretch_verbs: WordList,
    average_words: WordList,
    growth_name_endings: WordList,
    doing_verbs: WordList,
    small_count_units: WordList,
    list_count_words: WordList,
    list_count_units: WordList,
    more_after_doubling: WordList,
    continuations: WordList,
    continuation_time_words: WordList,
    clause_leaders: WordList,
    phrase_end_verbs: WordList,
    phrase_end_keeps: WordList,
    count_classifiers: WordList,
    counted_noun_stops: WordList,
    object_verbs: WordList,
    object_verb_nouns: WordList,
    class_suffixes: WordList,
    basis_openers: WordList,
    basis_closers: WordList,
    comparison_bases: WordList,
    function_chars: String,
    deng_word_heads: String,
    subject_noise: WordList,
    part_topic_openers: WordList,
    part_topic_words: WordList,
    share_before: WordList,
    share_after: WordList,
    comparison_words: WordList,
    sentence_base_after: WordList,
    multiple_of_words: WordList,
    estimate_words: WordList,
    target_words: WordList,
    five_year_cues: WordList,
    same_below: WordList,
    milestone_words: WordList,
    past_year_openers: WordList,
    one_year_words: WordList,
    flow_words: WordList,
    plan_first_years: Vec<YearsWord>,
    plan_whole: WordList,
    hard_words: WordList,
    soft_words: WordList,
    expected_words: WordList,
    goal_list_cues: WordList,
    goal_words: WordList,
    enterprise_service_words: WordList,
    key_project_words: WordList,
    vote_words: WordList,
    done_words: WordList,
    final_words: WordList,
    quoted_list_openers: WordList,
}

/// The word tables of `data/figure_words.toml`, in file order. See the file
/// for what each table does.
#[derive(Debug)]
pub struct Words {
    pub change_verbs: TaggedWords<f64>,
    pub fillers: WordList,
    pub at_most_fillers: WordList,
    pub before_qualifiers: TaggedWords<Qualifier>,
    pub after_qualifiers: TaggedWords<Qualifier>,
    pub strict_at_most: WordList,
    pub to_level: WordList,
    pub from_words: WordList,
    pub stretch_words: WordList,
    pub stretch_verbs: WordList,
    pub average_words: WordList,
    pub growth_name_endings: WordList,
    pub doing_verbs: WordList,
    pub small_count_units: WordList,
    pub list_count_words: WordList,
    pub list_count_units: WordList,
    pub more_after_doubling: WordList,
    pub continuations: WordList,
    pub continuation_time_words: WordList,
    pub clause_leaders: WordList,
    pub phrase_end_verbs: WordList,
    pub phrase_end_keeps: WordList,
    pub count_classifiers: WordList,
    pub counted_noun_stops: WordList,
    pub object_verbs: WordList,
    pub object_verb_nouns: WordList,
    pub class_suffixes: WordList,
    pub basis_openers: WordList,
    pub basis_closers: WordList,
    pub comparison_bases: WordList,
    pub function_chars: String,
    pub deng_word_heads: String,
    pub subject_noise: WordList,
    pub part_topic_openers: WordList,
    pub part_topic_words: WordList,
    pub share_before: WordList,
    pub share_after: WordList,
    pub comparison_words: WordList,
    pub sentence_base_after: WordList,
    pub multiple_of_words: WordList,
    pub estimate_words: WordList,
    pub target_words: WordList,
    pub five_year_cues: WordList,
    pub same_below: WordList,
    pub milestone_words: WordList,
    pub past_year_openers: WordList,
    pub one_year_words: WordList,
    pub flow_words: WordList,
    pub plan_first_years: TaggedWords<i32>,
    pub plan_whole: WordList,
    pub hard_words: WordList,
    pub soft_words: WordList,
    pub expected_words: WordList,
    pub goal_list_cues: WordList,
    pub goal_words: WordList,
    pub enterprise_service_words: WordList,
    pub key_project_words: WordList,
    pub vote_words: WordList,
    pub done_words: WordList,
    pub final_words: WordList,
    pub quoted_list_openers: WordList,
}

/// Does a table hold an empty word (a word of a list, or a `word` field)?
fn has_empty_word(v: &toml::Value) -> bool {
    match v {
        toml::Value::String(w) => w.is_empty(),
        toml::Value::Array(a) => a.iter().any(has_empty_word),
        toml::Value::Table(t) => t.get("word").is_some_and(has_empty_word),
        _ => false,
    }
}

impl Words {
    pub fn from_toml(text: &str) -> Result<Words, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| format!("figure words: {e}"))?;
        // An empty word would match everywhere (and a rule that strips
        // words until none is left would never end).
        if let Some(name) = table
            .iter()
            .find_map(|(k, v)| has_empty_word(v).then_some(k))
        {
            return Err(format!("figure words: an empty word in `{name}`"));
        }
        let f: WordFile = table.try_into().map_err(|e| format!("figure words: {e}"))?;
        let signed = |v: Vec<SignedWord>| {
            TaggedWords::new(v.into_iter().map(|w| (w.word, w.sign)).collect())
        };
        let qualified = |v: Vec<QualifierWord>| {
            TaggedWords::new(v.into_iter().map(|w| (w.word, w.qualifier)).collect())
        };
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
            same_below: f.same_below,
            milestone_words: f.milestone_words,
            past_year_openers: f.past_year_openers,
            one_year_words: f.one_year_words,
            flow_words: f.flow_words,
            plan_first_years: TaggedWords::new(
                f.plan_first_years
                    .into_iter()
                    .map(|w| (w.word, w.years))
                    .collect(),
            ),
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
        let first = |t: &TaggedWords<f64>| t.iter().next().map(|(w, v)| (w.clone(), *v));
        assert_eq!(first(&w.change_verbs), Some(("年均增长".to_string(), 1.0)));
        assert_eq!(
            w.change_verbs.iter().next_back(),
            Some((&"降".to_string(), &-1.0))
        );
        assert_eq!(
            w.after_qualifiers.iter().next(),
            Some((&"左右".to_string(), &Qualifier::About))
        );
        assert_eq!(
            w.plan_first_years.iter().nth(1),
            Some((&"前三年".to_string(), &3))
        );
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
    fn empty_words_are_an_error() {
        let with_empty =
            WORDS_TOML.replacen("from_words = [\"从\"", "from_words = [\"\", \"从\"", 1);
        assert_ne!(with_empty, WORDS_TOML);
        let e = Words::from_toml(&with_empty).err().unwrap_or_default();
        assert_eq!(e, "figure words: an empty word in `from_words`");
    }

    #[test]
    fn unknown_tables_are_an_error() {
        let e = Words::from_toml("nonsense = [\"x\"]\n")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("figure words:"), "{e}");
    }
}
