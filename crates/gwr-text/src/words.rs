//! A word table read from `data/`: its words in file order, and the
//! fastest way to ask whether a text holds any of them, decided once when
//! the table is read.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::memmem;
use serde::Deserialize;
use std::ops::Deref;

/// Tables longer than this are searched with one automaton; shorter ones
/// word by word, each word with its own vectorised finder (measured on
/// report sentences: three words take 15 ns this way against 200 ns for an
/// automaton, ten words 55 ns against 20 ns).
const AUTOMATON_FROM: usize = 4;

/// The words of one table, in the order they are written.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "Vec<String>")]
pub struct WordList {
    words: Vec<String>,
    search: Search,
}

#[derive(Debug, Clone)]
enum Search {
    Each(Vec<memmem::Finder<'static>>),
    Automaton(AhoCorasick),
}

impl WordList {
    pub fn new(words: Vec<String>) -> WordList {
        // Building fails only past the automaton's size limits, far beyond
        // any word table; such a table is then searched word by word.
        let automaton = (words.len() > AUTOMATON_FROM)
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&words)
                    .ok()
            })
            .flatten();
        let search = match automaton {
            Some(a) => Search::Automaton(a),
            None => Search::Each(
                words
                    .iter()
                    .map(|w| memmem::Finder::new(w.as_bytes()).into_owned())
                    .collect(),
            ),
        };
        WordList { words, search }
    }

    /// Does `text` contain any of the words?
    pub fn found_in(&self, text: &str) -> bool {
        match &self.search {
            Search::Automaton(a) => a.is_match(text),
            Search::Each(f) => f.iter().any(|f| f.find(text.as_bytes()).is_some()),
        }
    }

    /// Where the first of the words in `text` starts.
    pub fn first_in(&self, text: &str) -> Option<usize> {
        match &self.search {
            Search::Automaton(a) => a.find(text).map(|m| m.start()),
            Search::Each(f) => f.iter().filter_map(|f| f.find(text.as_bytes())).min(),
        }
    }
}

impl From<Vec<String>> for WordList {
    fn from(words: Vec<String>) -> WordList {
        WordList::new(words)
    }
}

impl Deref for WordList {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.words
    }
}

impl<'a> IntoIterator for &'a WordList {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.words.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[&str]) -> WordList {
        WordList::new(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn finds_any_word() {
        let l = list(&["预期目标", "力争"]);
        assert!(l.found_in("今年经济社会发展的主要预期目标是"));
        assert!(l.found_in("力争增长12%"));
        assert!(!l.found_in("全年增长8%"));
        assert_eq!(l.first_in("力争实现预期目标"), Some(0));
        assert_eq!(l.first_in("无"), None);
    }

    #[test]
    fn long_tables_find_the_same_words() {
        let words = ["一号", "二号", "三号", "四号", "五号", "六号", "七号"];
        let long = list(&words);
        assert!(matches!(long.search, Search::Automaton(_)));
        for w in words {
            let short = list(&[w]);
            for text in [format!("前{w}后"), "无关文字".to_string()] {
                assert_eq!(long.found_in(&text), short.found_in(&text), "{text}");
            }
        }
        assert_eq!(long.first_in("甲七号乙二号"), Some(3));
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let l = list(&[]);
        assert!(!l.found_in("任何文字"));
        assert_eq!(l.first_in("任何文字"), None);
        assert!(l.is_empty());
    }

    #[test]
    fn reads_as_a_list_of_words() {
        #[derive(Deserialize)]
        struct T {
            w: WordList,
        }
        let t: T = toml::from_str("w = [\"甲乙\", \"丙\"]").expect("a table");
        assert_eq!(&t.w[..], &["甲乙".to_string(), "丙".to_string()]);
        assert!(t.w.found_in("丁丙"));
    }
}
