//! A word table read from `data/`: its words in file order, and the
//! fastest way to ask whether a text holds any of them, decided once when
//! the table is read.
//!
//! Rules mostly ask whether a text starts or ends with a word of a table,
//! or where the words occur in it; each question is answered without
//! comparing every word where a cheaper test says no word can answer: a
//! table keeps the set of its words' first and last characters.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::memmem;
use serde::Deserialize;
use std::ops::Deref;
use std::sync::OnceLock;

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
    /// The first and the last characters of the words.
    heads: CharSet,
    tails: CharSet,
    /// Every occurrence of every word, for [`WordList::occurrences`]: an
    /// automaton reporting overlapping matches (long tables whose words
    /// never overlap themselves), else each word's own finder. Built when
    /// first asked for.
    every: OnceLock<Option<AhoCorasick>>,
}

/// A set of characters as 256 bits (a character's code modulo 256): a
/// character outside it is surely not in the set; one inside may be.
#[derive(Debug, Clone, Copy, Default)]
struct CharSet {
    bits: [u64; 4],
    /// An empty word starts and ends every text.
    all: bool,
}

impl CharSet {
    fn add(&mut self, c: Option<char>) {
        match c {
            Some(c) => {
                let b = c as u32 as usize & 255;
                self.bits[b >> 6] |= 1 << (b & 63);
            }
            None => self.all = true,
        }
    }

    fn may_hold(&self, c: Option<char>) -> bool {
        self.all
            || c.is_some_and(|c| {
                let b = c as u32 as usize & 255;
                self.bits[b >> 6] & (1 << (b & 63)) != 0
            })
    }
}

/// Does a word overlap itself (a proper prefix that is also its suffix,
/// as in 一一 or 发展发), so that its occurrences may overlap?
fn overlaps_itself(w: &str) -> bool {
    (1..w.len()).any(|k| w.is_char_boundary(k) && w.ends_with(&w[..k]))
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
        let mut heads = CharSet::default();
        let mut tails = CharSet::default();
        for w in &words {
            heads.add(w.chars().next());
            tails.add(w.chars().next_back());
        }
        WordList {
            words,
            search,
            heads,
            tails,
            every: OnceLock::new(),
        }
    }

    fn every(&self) -> Option<&AhoCorasick> {
        self.every
            .get_or_init(|| {
                let words = &self.words;
                (words.len() > AUTOMATON_FROM
                    && !words.iter().any(|w| w.is_empty() || overlaps_itself(w)))
                .then(|| {
                    AhoCorasick::builder()
                        .match_kind(MatchKind::Standard)
                        .kind(Some(AhoCorasickKind::DFA))
                        .build(words)
                        .ok()
                })
                .flatten()
            })
            .as_ref()
    }

    /// May `text` start with one of the words? `false` is sure; `true`
    /// means the words must be compared.
    #[inline]
    pub fn may_start(&self, text: &str) -> bool {
        self.heads.may_hold(text.chars().next())
    }

    /// May `text` end with one of the words? As [`WordList::may_start`].
    #[inline]
    pub fn may_end(&self, text: &str) -> bool {
        self.tails.may_hold(text.chars().next_back())
    }

    /// The index of the first word, in table order, that `text` starts with.
    pub fn start_index(&self, text: &str) -> Option<usize> {
        if !self.may_start(text) {
            return None;
        }
        self.words.iter().position(|w| text.starts_with(w.as_str()))
    }

    /// The index of the first word, in table order, that `text` ends with.
    pub fn end_index(&self, text: &str) -> Option<usize> {
        if !self.may_end(text) {
            return None;
        }
        self.words.iter().position(|w| text.ends_with(w.as_str()))
    }

    /// The first word, in table order, that `text` starts with.
    pub fn start_of(&self, text: &str) -> Option<&str> {
        self.start_index(text).map(|i| self.words[i].as_str())
    }

    /// The first word, in table order, that `text` ends with.
    pub fn end_of(&self, text: &str) -> Option<&str> {
        self.end_index(text).map(|i| self.words[i].as_str())
    }

    /// Does `text` start with one of the words?
    pub fn starts(&self, text: &str) -> bool {
        self.start_of(text).is_some()
    }

    /// Does `text` end with one of the words?
    pub fn ends(&self, text: &str) -> bool {
        self.end_of(text).is_some()
    }

    /// Every occurrence of the words in `text` as (byte offset, word): for
    /// each word, what `text.match_indices(word)` gives (its occurrences
    /// that do not overlap each other), in no set order.
    pub fn occurrences<'a>(&'a self, text: &'a str) -> Occurrences<'a> {
        let inner = match (self.every(), &self.search) {
            (Some(a), _) => Inner::Automaton(a.find_overlapping_iter(text)),
            (None, Search::Each(f)) if !self.heads.all => Inner::Each {
                finders: f,
                word: 0,
                from: 0,
            },
            _ => Inner::Words {
                next: 0,
                current: None,
            },
        };
        Occurrences {
            list: self,
            text,
            inner,
        }
    }

    /// Does `text` contain any of the words?
    pub fn found_in(&self, text: &str) -> bool {
        match &self.search {
            Search::Automaton(a) => a.is_match(text),
            Search::Each(f) => f.iter().any(|f| f.find(text.as_bytes()).is_some()),
        }
    }

    /// Does `text` contain any of the words once every occurrence of
    /// `removed` is taken out (as `text.replace(removed, "")` would)? The
    /// pieces between occurrences are searched where they are, and each
    /// place two pieces meet through a few characters on either side, so
    /// no new text is made.
    pub fn found_in_without(&self, text: &str, removed: &str) -> bool {
        if removed.is_empty() || !text.contains(removed) {
            return self.found_in(text);
        }
        // A word across a seam has at most `keep` characters on either side.
        let keep = self
            .words
            .iter()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
            .saturating_sub(1);
        let mut tail = String::new();
        for piece in text.split(removed) {
            if self.found_in(piece) {
                return true;
            }
            if keep == 0 || piece.is_empty() {
                continue;
            }
            if !tail.is_empty() {
                let head = piece
                    .char_indices()
                    .nth(keep)
                    .map_or(piece.len(), |(i, _)| i);
                let seam = format!("{tail}{}", &piece[..head]);
                if self.found_in(&seam) {
                    return true;
                }
            }
            tail.push_str(piece);
            let cut = tail
                .char_indices()
                .rev()
                .nth(keep - 1)
                .map_or(0, |(i, _)| i);
            tail.drain(..cut);
        }
        false
    }

    /// Where the first of the words in `text` starts.
    pub fn first_in(&self, text: &str) -> Option<usize> {
        match &self.search {
            Search::Automaton(a) => a.find(text).map(|m| m.start()),
            Search::Each(f) => f.iter().filter_map(|f| f.find(text.as_bytes())).min(),
        }
    }
}

/// The iterator of [`WordList::occurrences`].
pub struct Occurrences<'a> {
    list: &'a WordList,
    text: &'a str,
    inner: Inner<'a>,
}

enum Inner<'a> {
    Automaton(aho_corasick::FindOverlappingIter<'a, 'a>),
    Each {
        finders: &'a [memmem::Finder<'static>],
        /// The word being looked for and where its search goes on.
        word: usize,
        from: usize,
    },
    Words {
        next: usize,
        current: Option<(usize, std::str::MatchIndices<'a, &'a str>)>,
    },
}

impl<'a> Iterator for Occurrences<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let words = &self.list.words;
        match &mut self.inner {
            Inner::Automaton(it) => it
                .next()
                .map(|m| (m.start(), words[m.pattern().as_usize()].as_str())),
            Inner::Each {
                finders,
                word,
                from,
            } => loop {
                let f = finders.get(*word)?;
                let hay = self.text.as_bytes().get(*from..).unwrap_or_default();
                match f.find(hay) {
                    Some(i) => {
                        let at = *from + i;
                        // Words are never empty here: the next search
                        // starts after this occurrence.
                        *from = at + f.needle().len().max(1);
                        return Some((at, words[*word].as_str()));
                    }
                    None => {
                        *word += 1;
                        *from = 0;
                    }
                }
            },
            Inner::Words { next, current } => loop {
                if let Some((w, it)) = current
                    && let Some((i, _)) = it.next()
                {
                    return Some((i, words[*w].as_str()));
                }
                let w = words.get(*next)?;
                *current = Some((*next, self.text.match_indices(w.as_str())));
                *next += 1;
            },
        }
    }
}

/// A word table whose words each carry a value (a verb's sign, the
/// qualifier a word gives), searched as a [`WordList`].
#[derive(Debug, Clone)]
pub struct TaggedWords<T> {
    pub words: WordList,
    values: Vec<T>,
}

impl<T> TaggedWords<T> {
    pub fn new(pairs: Vec<(String, T)>) -> TaggedWords<T> {
        let (words, values): (Vec<String>, Vec<T>) = pairs.into_iter().unzip();
        TaggedWords {
            words: WordList::new(words),
            values,
        }
    }

    /// The words with their values, in table order.
    pub fn iter(&self) -> std::iter::Zip<std::slice::Iter<'_, String>, std::slice::Iter<'_, T>> {
        self.words.iter().zip(self.values.iter())
    }

    /// The first word, in table order, that `text` starts with, and its value.
    pub fn start_of(&self, text: &str) -> Option<(&str, &T)> {
        let i = self.words.start_index(text)?;
        Some((self.words[i].as_str(), &self.values[i]))
    }

    /// The first word, in table order, that `text` ends with, and its value.
    pub fn end_of(&self, text: &str) -> Option<(&str, &T)> {
        let i = self.words.end_index(text)?;
        Some((self.words[i].as_str(), &self.values[i]))
    }
}

impl<'a, T> IntoIterator for &'a TaggedWords<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, String>, std::slice::Iter<'a, T>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
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

    /// What `occurrences` must give: each word's `match_indices`.
    fn naive(words: &[&str], text: &str) -> Vec<(usize, String)> {
        let mut v: Vec<(usize, String)> = words
            .iter()
            .flat_map(|w| text.match_indices(w).map(|(i, m)| (i, m.to_string())))
            .collect();
        v.sort();
        v
    }

    fn found(l: &WordList, text: &str) -> Vec<(usize, String)> {
        let mut v: Vec<(usize, String)> = l
            .occurrences(text)
            .map(|(i, w)| (i, w.to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn occurrences_are_each_words_matches() {
        let long = ["支持", "推进", "持续", "建设", "推进建设", "设"];
        let short = ["增长", "长"];
        // 一一 overlaps itself: its matches are found word by word.
        let selfish = ["一一", "二", "三", "四", "五", "六"];
        for words in [&long[..], &short[..], &selfish[..], &["", "甲"][..]] {
            let l = list(words);
            for text in [
                "持续推进建设，支持设施",
                "增长增长长",
                "一一一一二",
                "",
                "无关",
            ] {
                assert_eq!(found(&l, text), naive(words, text), "{words:?} in {text}");
            }
        }
        assert!(list(&long).every().is_some());
        assert!(list(&selfish).every().is_none());
    }

    #[test]
    fn starts_and_ends_as_the_words_say() {
        let l = list(&["力争", "力争达到", "确保", "争取", "努力"]);
        assert_eq!(l.start_of("力争达到5%"), Some("力争"));
        assert_eq!(l.start_of("实现5%"), None);
        assert_eq!(l.end_of("努力争取"), Some("争取"));
        assert!(l.ends("确保"));
        assert!(!l.starts(""));
        assert!(!l.ends("保确"));
        let empty = list(&["", "甲"]);
        assert_eq!(empty.start_of("乙"), Some(""));
        assert!(empty.ends(""));
    }

    #[test]
    fn words_are_found_across_what_is_taken_out() {
        let l = list(&["累计", "新增", "共计", "合计", "总计"]);
        assert!(l.found_in_without("累投资计完成", "投资"));
        assert!(!l.found_in_without("城镇新增就业", "城镇新增就业"));
        assert!(l.found_in_without("新增城镇就业", "城镇"));
        assert!(l.found_in_without("新甲甲增", "甲"));
        assert!(!l.found_in_without("新甲乙增", "甲"));
    }

    proptest::proptest! {
        #[test]
        fn found_without_is_found_in_the_replaced_text(
            words in proptest::collection::vec("[甲乙丙]{1,3}", 1..7),
            text in "[甲乙丙丁]{0,14}",
            removed in "[甲丁]{0,2}",
        ) {
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let l = list(&refs);
            proptest::prop_assert_eq!(
                l.found_in_without(&text, &removed),
                l.found_in(&text.replace(&removed, ""))
            );
        }

        #[test]
        fn tables_answer_as_their_words(
            words in proptest::collection::vec("[甲乙丙丁一a]{0,3}", 0..9),
            text in "[甲乙丙丁一a，]{0,12}",
        ) {
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let l = list(&refs);
            proptest::prop_assert_eq!(found(&l, &text), naive(&refs, &text));
            let first = refs.iter().find(|w| text.starts_with(**w)).copied();
            proptest::prop_assert_eq!(l.start_of(&text), first);
            let last = refs.iter().find(|w| text.ends_with(**w)).copied();
            proptest::prop_assert_eq!(l.end_of(&text), last);
            proptest::prop_assert_eq!(l.found_in(&text), refs.iter().any(|w| text.contains(*w)));
        }
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
