//! The word tables of the document layer (`data/doc_words.toml`), read once.

use gwr_text::WordList;
use serde::Deserialize;
use std::sync::LazyLock;

const DOC_WORDS_TOML: &str = include_str!("../../../data/doc_words.toml");

#[derive(Deserialize)]
struct TermWord {
    word: String,
    years: i32,
}

#[derive(Deserialize)]
struct File {
    year_paragraph_back: WordList,
    year_paragraph_ahead: WordList,
    term_words: Vec<TermWord>,
    term_headings: WordList,
    news_report_verbs: WordList,
    third_person: WordList,
    breadcrumb_ends: WordList,
    not_in_names: WordList,
    news_title_words: WordList,
    township_openings: WordList,
}

/// The tables; see the data file for what each one does.
pub struct DocWords {
    pub year_paragraph_back: WordList,
    pub year_paragraph_ahead: WordList,
    /// A term word and how many years it covers.
    pub term_words: Vec<(String, i32)>,
    pub term_headings: WordList,
    pub news_report_verbs: WordList,
    pub third_person: WordList,
    pub breadcrumb_ends: WordList,
    pub not_in_names: WordList,
    pub news_title_words: WordList,
    pub township_openings: WordList,
}

impl DocWords {
    pub fn builtin() -> &'static DocWords {
        static W: LazyLock<DocWords> = LazyLock::new(|| {
            let f: File = toml::from_str(DOC_WORDS_TOML).expect("data/doc_words.toml is valid");
            DocWords {
                year_paragraph_back: f.year_paragraph_back,
                year_paragraph_ahead: f.year_paragraph_ahead,
                term_words: f
                    .term_words
                    .into_iter()
                    .map(|t| (t.word, t.years))
                    .collect(),
                term_headings: f.term_headings,
                news_report_verbs: f.news_report_verbs,
                third_person: f.third_person,
                breadcrumb_ends: f.breadcrumb_ends,
                not_in_names: f.not_in_names,
                news_title_words: f.news_title_words,
                township_openings: f.township_openings,
            }
        });
        &W
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_load() {
        let w = super::DocWords::builtin();
        assert!(w.term_words.iter().any(|(t, n)| t == "过去五年" && *n == 5));
        assert!(!w.third_person.is_empty());
    }
}
