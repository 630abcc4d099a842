//! jieba's general dictionary as a sorted table compiled into the binary
//! (built by build.rs from data/jieba-words.txt.zst) and searched in
//! place: looking a query's words up here takes microseconds, where
//! loading jieba-rs's own copy takes about a hundred milliseconds.

include!(concat!(env!("OUT_DIR"), "/jieba_words.rs"));

static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba-words.bin"));

fn u32_at(i: usize) -> usize {
    let b = &TABLE[i * 4..i * 4 + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
}

/// Word `i` of the table (in byte order).
pub fn word(i: usize) -> &'static [u8] {
    let base = (2 * WORDS + 1) * 4;
    &TABLE[base + u32_at(i)..base + u32_at(i + 1)]
}

/// The frequency of word `i`.
pub fn freq(i: usize) -> usize {
    u32_at(WORDS + 1 + i)
}

/// The frequency of `w`, when it is a dictionary word.
pub fn get(w: &str) -> Option<usize> {
    let i = lower_bound(WORDS, word, w.as_bytes(), 0);
    (i < WORDS && word(i) == w.as_bytes()).then(|| freq(i))
}

/// The first of the `n` sorted words (`word(i)`) at or after `from` that is
/// not less than `key`.
fn lower_bound<'w>(n: usize, word: impl Fn(usize) -> &'w [u8], key: &[u8], from: usize) -> usize {
    let (mut lo, mut hi) = (from, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if word(mid) < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The words among `n` sorted ones (`word(i)`, at most `longest`
/// characters) that `text` has at byte `bounds[0]`, as their index and
/// their end in `text`; `bounds` are `text`'s character boundaries from
/// there on (the last may be `text.len()`). Words sharing a prefix are
/// neighbours, so the search narrows as the candidate grows and stops once
/// no word starts with it.
pub fn prefixes<'w>(
    n: usize,
    word: impl Fn(usize) -> &'w [u8],
    longest: usize,
    text: &str,
    bounds: &[usize],
    mut found: impl FnMut(usize, usize),
) {
    let Some((&start, ends)) = bounds.split_first() else {
        return;
    };
    let mut at = 0;
    for &end in ends.iter().take(longest) {
        let key = &text.as_bytes()[start..end];
        at = lower_bound(n, &word, key, at);
        if at >= n || !word(at).starts_with(key) {
            return;
        }
        if word(at) == key {
            found(at, end);
        }
    }
}

/// [`prefixes`] in this table: the dictionary words `text` has at byte
/// `bounds[0]`, with their frequencies.
pub fn dictionary_prefixes<'t>(
    text: &'t str,
    bounds: &[usize],
    mut found: impl FnMut(&'t str, usize),
) {
    let start = bounds.first().copied().unwrap_or(0);
    prefixes(WORDS, word, LONGEST, text, bounds, |i, end| {
        found(&text[start..end], freq(i));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_searchable() {
        const { assert!(WORDS > 300_000) };
        assert!((1..WORDS).all(|i| word(i - 1) < word(i)));
        assert!(get("经济").is_some_and(|f| f > 1000));
        assert_eq!(get("最多跑一次"), None);
        let text = "中华人民共和国";
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut words = Vec::new();
        dictionary_prefixes(text, &bounds, |w, _| words.push(w));
        assert_eq!(words, ["中", "中华", "中华人民", "中华人民共和国"]);
    }
}
