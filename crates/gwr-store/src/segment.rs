//! Word segmentation for the search index: jieba with its general
//! dictionary, plus government terms (data/search-terms.txt, the metric
//! names of data/metrics.toml, the concept words of data/concepts.toml and
//! any words the store was given) so that 最多跑一次 or 民生实事 stay one
//! word. Segmentation is deterministic (no HMM guessing), so a word is cut
//! the same way in a passage and in a query.

use jieba_rs::Jieba;
use std::sync::OnceLock;

const SEARCH_TERMS_TXT: &str = include_str!("../../../data/search-terms.txt");
/// The built-in concept dictionary (also the attention analysis's default).
pub(crate) const CONCEPTS_TOML: &str = include_str!("../../../data/concepts.toml");

/// Words of a term file: one per line, `#` comments, first column only.
pub fn parse_terms(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The built-in government terms.
pub fn builtin_terms() -> Vec<String> {
    let mut words = parse_terms(SEARCH_TERMS_TXT);
    for m in &gwr_figures::metrics::MetricTable::builtin().metrics {
        words.push(m.name.clone());
    }
    if let Ok(v) = CONCEPTS_TOML.parse::<toml::Table>()
        && let Some(concepts) = v.get("concepts").and_then(|c| c.as_table())
    {
        for list in concepts.values().filter_map(|l| l.as_array()) {
            words.extend(list.iter().filter_map(|w| w.as_str().map(str::to_string)));
        }
    }
    words
}

/// A passage cut into words: the words in order (for phrase queries) and
/// the shorter dictionary words inside long ones (for recall: 经济 inside
/// 数字经济).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cut {
    pub words: String,
    pub parts: String,
}

/// The segmenter of a store.
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// The general dictionary plus the built-in terms and `extra` words.
    pub fn new(extra: &[String]) -> Segmenter {
        let mut jieba = Jieba::new();
        for w in builtin_terms().iter().chain(extra) {
            add(&mut jieba, w);
        }
        Segmenter { jieba }
    }

    /// The built-in segmenter (no extra words), built once per process.
    pub fn builtin() -> &'static Segmenter {
        static S: OnceLock<Segmenter> = OnceLock::new();
        S.get_or_init(|| Segmenter::new(&[]))
    }

    /// Words of a query term, in order.
    pub fn query_words(&self, text: &str) -> Vec<String> {
        self.jieba
            .cut(text, false)
            .into_iter()
            .filter(|t| is_word(t.word))
            .map(|t| t.word.to_lowercase())
            .collect()
    }

    /// Cut a passage for the index.
    pub fn cut(&self, text: &str) -> Cut {
        let tokens = self.jieba.cut_for_search(text, false);
        // Search mode lists the dictionary words inside a long word right
        // before the word itself; walking backwards, a token inside the
        // span of the last whole word seen is such a part.
        let mut whole: Vec<&str> = Vec::new();
        let mut parts: Vec<&str> = Vec::new();
        let mut span = (usize::MAX, usize::MAX);
        for t in tokens.iter().rev() {
            if !is_word(t.word) {
                span = (t.start, t.end);
                continue;
            }
            if t.start >= span.0 && t.end <= span.1 && (t.end - t.start) < (span.1 - span.0) {
                parts.push(t.word);
            } else {
                span = (t.start, t.end);
                whole.push(t.word);
            }
        }
        whole.reverse();
        parts.reverse();
        Cut {
            words: join(&whole),
            parts: join(&parts),
        }
    }
}

fn add(jieba: &mut Jieba, word: &str) {
    let word = word.trim();
    if word.chars().count() >= 2 && !word.contains(char::is_whitespace) {
        // A frequency above what the general dictionary gives its parts, so
        // the term wins over cutting it up.
        jieba.add_word(word, Some(100_000), None);
    }
}

/// Tokens that carry meaning: something alphanumeric or ideographic.
fn is_word(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

/// Words joined by spaces, with characters the index tokenizer would take
/// as word boundaries (the + of 互联网+, the . of 3.5) left in: the
/// tokenizer splits them the same way in passages and queries.
fn join(words: &[&str]) -> String {
    let mut s = String::with_capacity(words.iter().map(|w| w.len() + 1).sum());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&w.to_lowercase());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn government_terms_stay_whole() {
        let s = Segmenter::builtin();
        let cut = s.cut("深化最多跑一次改革，办好十件民生实事，发展数字经济。");
        let words: Vec<&str> = cut.words.split(' ').collect();
        assert!(words.contains(&"最多跑一次"), "{words:?}");
        assert!(words.contains(&"民生实事"), "{words:?}");
        assert!(words.contains(&"数字经济"), "{words:?}");
        // The parts of a long word are indexed for recall.
        assert!(cut.parts.split(' ').any(|p| p == "经济"), "{:?}", cut.parts);
        // Punctuation never becomes a word.
        assert!(!words.iter().any(|w| w.contains('，')));
    }

    #[test]
    fn query_cut_matches_passage_cut() {
        let s = Segmenter::builtin();
        let q = s.query_words("数字经济");
        assert_eq!(q, vec!["数字经济"]);
        let q = s.query_words("推进最多跑一次改革");
        assert!(q.contains(&"最多跑一次".to_string()), "{q:?}");
        let passage = s.cut("全面推进最多跑一次改革");
        assert!(passage.words.contains(&q.join(" ")), "{passage:?} {q:?}");
    }

    #[test]
    fn extra_words_are_kept_whole() {
        let s = Segmenter::new(&["亩产效益综合评价".to_string()]);
        assert_eq!(s.query_words("亩产效益综合评价"), vec!["亩产效益综合评价"]);
    }

    #[test]
    fn term_files_skip_comments() {
        assert_eq!(
            parse_terms("# c\n最多跑一次\n\n民生实事 5 n # note\n"),
            vec!["最多跑一次", "民生实事"]
        );
    }
}
