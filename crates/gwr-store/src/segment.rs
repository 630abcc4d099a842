//! Word segmentation for the search index: jieba with its general
//! dictionary, plus government terms (data/search-terms.txt, the metric
//! names of data/metrics.toml, the concept words of data/concepts.toml and
//! any words the store was given) so that 最多跑一次 or 民生实事 stay one
//! word. Segmentation is deterministic (no HMM guessing), so a word is cut
//! the same way in a passage and in a query.

use crate::analyses::is_han;
use crate::words;
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
    words.extend(gwr_figures::metrics::builtin_names());
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

/// The frequency a government term or lexicon word is given: above what
/// the general dictionary gives its parts, so the term wins over cutting
/// it up.
const TERM_FREQ: usize = 100_000;

/// A word jieba's tokenizer never puts in a block it segments (private-use
/// characters), so it never matches: in a query's small dictionary it
/// carries the frequency of every word left out.
const FILLER: &str = "\u{E000}\u{E001}";

/// The segmenter of a store: jieba's general dictionary plus terms at
/// [`TERM_FREQ`].
///
/// Passages are cut by jieba with the whole dictionary, loaded on first use
/// (about a hundred milliseconds). Queries are cut without it: jieba's
/// non-HMM cut of a text depends only on the dictionary words inside the
/// text, their frequencies and the dictionary's total frequency, so a query
/// is cut by a jieba holding just the words found in it (looked up in the
/// table of `words.rs` and among the terms) and a filler word that makes
/// the total the whole dictionary's. The route probabilities are then the
/// same numbers, and the cut is the same.
pub struct Segmenter {
    /// The terms in the order they are added to jieba.
    added: Vec<String>,
    /// The same, sorted and without repeats.
    terms: Vec<String>,
    /// The longest term, in characters.
    longest: usize,
    /// The total frequency of the merged dictionary.
    total: usize,
    full: OnceLock<Jieba>,
}

impl Segmenter {
    /// The general dictionary plus the built-in terms and `extra` words.
    pub fn new(extra: &[String]) -> Segmenter {
        static BUILTIN: OnceLock<Vec<String>> = OnceLock::new();
        let builtin =
            BUILTIN.get_or_init(|| builtin_terms().iter().filter_map(|w| term(w)).collect());
        let added: Vec<String> = builtin
            .iter()
            .cloned()
            .chain(extra.iter().filter_map(|w| term(w)))
            .collect();
        let mut terms = added.clone();
        terms.sort_unstable();
        terms.dedup();
        let longest = terms.iter().map(|t| t.chars().count()).max().unwrap_or(0);
        let total = terms.iter().fold(words::TOTAL, |total, t| {
            total + TERM_FREQ - words::get(t).unwrap_or(0)
        });
        Segmenter {
            added,
            terms,
            longest,
            total,
            full: OnceLock::new(),
        }
    }

    /// The built-in segmenter (no extra words), built once per process.
    pub fn builtin() -> &'static Segmenter {
        static S: OnceLock<Segmenter> = OnceLock::new();
        S.get_or_init(|| Segmenter::new(&[]))
    }

    /// jieba with the whole merged dictionary.
    fn full(&self) -> &Jieba {
        self.full.get_or_init(|| {
            let mut jieba = Jieba::new();
            for w in &self.added {
                jieba.add_word(w, Some(TERM_FREQ), None);
            }
            jieba
        })
    }

    /// jieba with the words of the merged dictionary found in `text`, and
    /// the filler: it cuts `text` as [`Segmenter::full`] does.
    fn small(&self, text: &str) -> Jieba {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut found: std::collections::BTreeMap<&str, usize> = Default::default();
        for k in 0..bounds.len() {
            words::dictionary_prefixes(text, &bounds[k..], |w, f| {
                found.insert(w, f);
            });
        }
        let term = |i: usize| self.terms[i].as_bytes();
        for k in 0..bounds.len() {
            let start = bounds[k];
            words::prefixes(
                self.terms.len(),
                term,
                self.longest,
                text,
                &bounds[k..],
                |_, end| {
                    found.insert(&text[start..end], TERM_FREQ);
                },
            );
        }
        let mut jieba = Jieba::empty();
        let mut left = self.total;
        for (w, f) in found {
            jieba.add_word(w, Some(f), None);
            left = left.saturating_sub(f);
        }
        jieba.add_word(FILLER, Some(left), None);
        jieba
    }

    /// Words of a query term, in order.
    pub fn query_words(&self, text: &str) -> Vec<String> {
        words_of(&self.small(text), text)
    }

    /// Cut a passage for the index.
    pub fn cut(&self, text: &str) -> Cut {
        let tokens = self.full().cut_for_search(text, false);
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
        // Search mode lists only the two- and three-character words inside
        // a long word; the longer ones (乡村振兴 in 乡村振兴战略) are parts
        // too, so that a one-word query finds its word inside every longer
        // one. Words past LONGEST_WHOLE characters are not taken apart.
        let jieba = self.full();
        for w in &whole {
            // Five characters take at least five bytes (a cheap first test
            // for the many short words), and at most four bytes each.
            if w.len() < 5 || w.len() > 4 * LONGEST_WHOLE {
                continue;
            }
            let chars: Vec<(usize, char)> = w.char_indices().collect();
            let n = chars.len();
            if !(5..=LONGEST_WHOLE).contains(&n) {
                continue;
            }
            for len in 4..n {
                for start in 0..=(n - len) {
                    let a = chars[start].0;
                    let b = chars.get(start + len).map_or(w.len(), |c| c.0);
                    let inner = &w[a..b];
                    if jieba.has_word(inner) {
                        parts.push(inner);
                    }
                }
            }
        }
        Cut {
            words: join(&whole),
            parts: join(&parts),
        }
    }
}

/// Longest word whose inner dictionary words are looked for (characters).
const LONGEST_WHOLE: usize = 24;

/// A term as it is added to jieba: trimmed, two characters or more, no
/// space inside.
fn term(word: &str) -> Option<String> {
    let word = word.trim();
    (word.chars().count() >= 2 && !word.contains(char::is_whitespace)).then(|| word.to_string())
}

/// The words of jieba's non-HMM cut of `text`, lower-cased.
fn words_of(jieba: &Jieba, text: &str) -> Vec<String> {
    jieba
        .cut(text, false)
        .into_iter()
        .filter(|t| is_word(t.word))
        .map(|t| {
            let mut s = String::with_capacity(t.word.len());
            push_lowercase(&mut s, t.word);
            s
        })
        .collect()
}

/// Tokens that carry meaning: something alphanumeric or ideographic. A Han
/// character ([`is_han`]) is alphanumeric (`ideographs_are_words`), and is
/// told without the Unicode table lookup.
fn is_word(w: &str) -> bool {
    w.chars()
        .any(|c| is_han(c) || (!is_punctuation(c) && c.is_alphanumeric()))
}

/// Punctuation of Chinese text (general punctuation, CJK symbols and
/// punctuation, full-width forms), none of it alphanumeric
/// (`punctuation_is_not_alphanumeric`): a token of it is told no word
/// without the Unicode table lookups of `is_alphanumeric`.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2027}'
            | '\u{3000}'..='\u{3004}'
            | '\u{3008}'..='\u{3020}'
            | '\u{FF01}'..='\u{FF0F}'
            | '\u{FF1A}'..='\u{FF20}'
    )
}

/// `out.push_str(&w.to_lowercase())`. A word of ASCII and of characters
/// U+4000–U+9FFF (lead bytes E4–E9 in UTF-8, none with a lower case:
/// `ideographs_have_no_case`), which is nearly every word, is copied whole
/// and its ASCII letters lowered in place; any other word goes through
/// `to_lowercase`, which also knows the rules of whole words (a final Σ).
fn push_lowercase(out: &mut String, w: &str) {
    let b = w.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0..=0x7F => i += 1,
            0xE4..=0xE9 => i += 3,
            _ => {
                out.push_str(&w.to_lowercase());
                return;
            }
        }
    }
    let start = out.len();
    out.push_str(w);
    out[start..].make_ascii_lowercase();
}

/// The index's tokens of words, lower-cased, joined by spaces: each word
/// read as SQLite's `unicode61` tokenizer reads it ([`crate::tokens`]),
/// so the + of 互联网+ and the . of 3.5 split tokens, as they do in queries.
fn join(words: &[&str]) -> String {
    let mut s = String::with_capacity(words.iter().map(|w| w.len() + 1).sum());
    for w in words {
        // A word of ASCII and of characters U+4000–U+9FFF is lowered by the
        // tokens themselves (`ideographs_have_no_case`).
        if w.bytes().all(|b| b < 0xC0 || (0xE4..=0xE9).contains(&b)) {
            crate::tokens::push_tokens(&mut s, w);
        } else {
            let mut lower = String::with_capacity(w.len());
            push_lowercase(&mut lower, w);
            crate::tokens::push_tokens(&mut s, &lower);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideographs_are_words() {
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_han(c))
        {
            assert!(c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn punctuation_is_not_alphanumeric() {
        let all: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_punctuation(c))
            .collect();
        assert!(all.contains(&'，') && all.contains(&'。') && all.contains(&'“'));
        for c in all {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn ideographs_have_no_case() {
        for c in (0x4000..=0x9FFF).filter_map(char::from_u32) {
            assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c:?}");
        }
    }

    proptest::proptest! {
        /// The byte-wise lowering gives what `to_lowercase` gives, on words
        /// mixing ASCII, ideographs, Greek (the final Σ), full-width and
        /// accented letters, and on any string at all.
        #[test]
        fn lowering_is_to_lowercase(
            w in "[A-Za-z0-9+.\u{4E00}-\u{4E10}\u{9FF0}-\u{9FFF}ΣσΑＡａÉé·，\u{3400}]{0,12}",
            any in ".{0,12}",
        ) {
            for w in [&w, &any] {
                let mut s = String::new();
                push_lowercase(&mut s, w);
                proptest::prop_assert_eq!(&s, &w.to_lowercase());
                proptest::prop_assert_eq!(
                    is_word(w),
                    w.chars().any(char::is_alphanumeric)
                );
            }
        }
    }

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
    fn long_words_inside_longer_ones_are_parts() {
        let s = Segmenter::new(&["高质量发展示范区".to_string()]);
        let cut = s.cut("全面实施乡村振兴战略，建设高质量发展示范区。");
        let words: Vec<&str> = cut.words.split(' ').collect();
        assert!(words.contains(&"乡村振兴战略"), "{words:?}");
        let parts: Vec<&str> = cut.parts.split(' ').collect();
        // Four characters and more, inside a word of five and more.
        assert!(parts.contains(&"乡村振兴"), "{parts:?}");
        assert!(parts.contains(&"高质量发展"), "{parts:?}");
        // A one-word query of the inner word finds the passage.
        assert_eq!(s.query_words("乡村振兴"), vec!["乡村振兴"]);
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
    fn metric_names_are_the_metric_tables() {
        let table: Vec<String> = gwr_figures::metrics::MetricTable::builtin()
            .metrics
            .iter()
            .map(|m| m.name.clone())
            .collect();
        assert!(!table.is_empty());
        assert_eq!(gwr_figures::metrics::builtin_names(), table);
    }

    #[test]
    fn term_files_skip_comments() {
        assert_eq!(
            parse_terms("# c\n最多跑一次\n\n民生实事 5 n # note\n"),
            vec!["最多跑一次", "民生实事"]
        );
    }

    /// Sentences and strings of every sort a query may be.
    const SAMPLES: &[&str] = &[
        "数字经济",
        "最多跑一次",
        "民生实事",
        "地区生产总值",
        "营商环境",
        "城乡居民",
        "乡村振兴",
        "科技创新",
        "共同富裕",
        "安置房",
        "深化最多跑一次改革，办好十件民生实事，发展数字经济。",
        "全年实现地区生产总值1234.5亿元，增长6.5%，城乡居民人均可支配收入分别增长5%和7%。",
        "推进共同富裕示范区建设，完成安置房交付3.2万套",
        "加快建设5G基站和IPv6网络，推动AI+制造、互联网+政务服务",
        "中华人民共和国国民经济和社会发展第十四个五年规划",
        "打造“两山”转化通道，实施“千万工程”，建设美丽乡村",
        "亩产效益综合评价改革全面推开，新增规上工业企业120家",
        "AT&T C++ T恤 A股 B超 4S店 1号店",
        "ABC abc 123 ４５６ Ｘｙｚ",
        "研究生命起源，结婚的和尚未结婚的",
        "我们中出了一个叛徒",
        "南京市长江大桥",
        "侵华日军南京大屠杀遇难同胞纪念馆",
        "",
        " ",
        "，。、；：？！……——",
        "a",
        "经",
        "\u{E000}\u{E001}经济\u{E000}",
        "𠀀𠀁中国",
        "統籌推進經濟社會發展",
        "年度 GDP 目标 6% 左右",
    ];

    fn check_same(s: &Segmenter, text: &str) {
        assert_eq!(
            s.query_words(text),
            words_of(s.full(), text),
            "query cut of {text:?}"
        );
    }

    #[test]
    fn query_cut_is_the_full_dictionarys_cut() {
        let s = Segmenter::builtin();
        for t in SAMPLES {
            check_same(s, t);
        }
        // Every substring of the samples, and joins of two samples.
        for t in SAMPLES {
            let chars: Vec<char> = t.chars().collect();
            for a in 0..chars.len() {
                for b in a + 1..=chars.len().min(a + 12) {
                    check_same(s, &chars[a..b].iter().collect::<String>());
                }
            }
        }
        for a in SAMPLES {
            for b in SAMPLES.iter().take(12) {
                check_same(s, &format!("{a}{b}"));
            }
        }
    }

    #[test]
    fn query_cut_with_lexicon_words_is_the_full_dictionarys_cut() {
        let extra: Vec<String> = [
            "亩产效益综合评价",
            "两山",
            "千万工程",
            " 规上工业 ",
            "数字经济", // also a built-in term
            "经济",     // a general word given a term's frequency
            "x",        // too short: left out, as jieba is never given it
            "a b",      // a space inside: left out
            "生命起源研究院",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        let s = Segmenter::new(&extra);
        assert_eq!(s.query_words("亩产效益综合评价"), vec!["亩产效益综合评价"]);
        for t in SAMPLES {
            check_same(&s, t);
        }
        check_same(&s, "研究生命起源研究院的规上工业企业");
    }

    /// A string from pieces: dictionary words, terms, characters of the
    /// samples, digits, latin letters, punctuation and spaces.
    fn mixed() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            (0..words::WORDS).prop_map(|i| String::from_utf8_lossy(words::word(i)).into_owned()),
            (0..SAMPLES.len(), 0usize..40, 1usize..8)
                .prop_map(|(i, a, n)| { SAMPLES[i].chars().skip(a).take(n).collect() }),
            prop::sample::select(vec![
                "最多跑一次",
                "民生实事",
                "数字经济",
                "营商环境",
                "共同富裕",
                "1",
                "2024",
                "3.5",
                "%",
                "GDP",
                "AI",
                "+",
                "，",
                "。",
                " ",
                "“",
                "”",
                "-",
                "_",
                "亿元",
            ])
            .prop_map(str::to_string),
        ];
        prop::collection::vec(piece, 1..8).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        /// The index reads (`ascii`) from `join`'s tokens what `unicode61`
        /// reads from the lower-cased words joined by spaces, the text the
        /// index was given before it was given tokens.
        #[test]
        fn joined_tokens_read_as_unicode61_reads_the_words(
            words in proptest::collection::vec(
                "[A-Za-z0-9+.\u{4E00}-\u{4E10}\u{9FF0}-\u{9FFF}ΣσΑＡａÉé·，\u{3400}\u{4DC0}\u{300}]{0,6}",
                0..6,
            ),
        ) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let before = words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join(" ");
            let db = rusqlite::Connection::open_in_memory().expect("memory db");
            proptest::prop_assert_eq!(
                crate::tokens::tests::fts_tokens(&db, "ascii", &join(&words)),
                crate::tokens::tests::fts_tokens(&db, "unicode61", &before)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn query_cut_equals_full_cut_on_mixed_strings(text in mixed()) {
            let s = Segmenter::builtin();
            proptest::prop_assert_eq!(s.query_words(&text), words_of(s.full(), &text));
        }
    }

    /// The version of jieba-rs in Cargo.lock.
    fn jieba_version() -> String {
        let lock = include_str!("../../../Cargo.lock");
        lock.split("name = \"jieba-rs\"\nversion = \"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or_default()
            .to_string()
    }

    /// The table is jieba-rs's dictionary: as many words, the same total
    /// frequency, every word known to it; and, where the crate's source is
    /// at hand, the same word and frequency on every line.
    #[test]
    fn default_words_are_jiebas_dictionary() {
        let jieba = Jieba::new();
        assert_eq!(
            format!("{jieba:?}"),
            format!(
                "Jieba {{ records_len: {}, total_freq: {} }}",
                words::WORDS,
                words::TOTAL
            ),
            "run scripts/make-jieba-words.py after changing the jieba-rs version"
        );
        for i in 0..words::WORDS {
            let w = std::str::from_utf8(words::word(i)).expect("UTF-8");
            assert!(jieba.has_word(w), "{w}");
        }
        let home = std::env::var("CARGO_HOME").map_or_else(
            |_| std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"),
            std::path::PathBuf::from,
        );
        let src = std::fs::read_dir(home.join("registry/src"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|d| {
                d.path()
                    .join(format!("jieba-rs-{}/src/data/dict.txt", jieba_version()))
            })
            .find(|p| p.is_file());
        let Some(src) = src else {
            eprintln!("jieba-rs's dict.txt not found: lines not compared");
            return;
        };
        let text = std::fs::read_to_string(src).expect("reads dict.txt");
        let mut n = 0;
        for line in text.lines() {
            let mut f = line.split_ascii_whitespace();
            let Some(w) = f.next() else { continue };
            let freq: usize = f.next().map_or(0, |x| x.parse().expect("a frequency"));
            assert_eq!(words::get(w), Some(freq), "{w}");
            n += 1;
        }
        assert_eq!(n, words::WORDS);
    }
}
