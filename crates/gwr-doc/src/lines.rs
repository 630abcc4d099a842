//! Lines (paragraphs) of a normalized text with their spans.

use std::ops::Range;

/// One line of the normalized text (a paragraph, after layout repair).
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub text: &'a str,
    /// Span of the line without its terminator.
    pub span: Range<usize>,
}

impl<'a> Line<'a> {
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }
}

/// Non-empty lines of `text` within `range`.
pub fn lines_in(text: &str, range: Range<usize>) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let slice = &text[range.clone()];
    let mut push = |from: usize, to: usize| {
        let part = &slice[from..to];
        if !part.trim().is_empty() {
            out.push(Line {
                text: part,
                span: range.start + from..range.start + to,
            });
        }
    };
    // Line ends by the vectorised memchr.
    let mut from = 0;
    for i in memchr::memchr_iter(b'\n', slice.as_bytes()) {
        push(from, i);
        from = i + 1;
    }
    push(from, slice.len());
    out
}

/// The longest sentence the readers work on, in bytes (about 1,300 Chinese
/// characters; a report's longest sentences are a few hundred). A longer run
/// without a full stop (a page of figures, a copy site's flattened table) is
/// cut into pieces of at most this length, so that the work done on one
/// sentence is bounded and the work on a text grows linearly with it.
pub const MAX_SENTENCE_BYTES: usize = 4096;

/// Sentence spans inside `range`: split after 。！？ and at line ends.
/// Semicolons do not end a sentence. A sentence longer than
/// [`MAX_SENTENCE_BYTES`] is cut after its last `；` or `，` within the
/// limit, or else at a character boundary.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    let slice = &text.as_bytes()[range.clone()];
    // 。 is E3 80 82; ！ and ？ are EF BC 81 and EF BC 9F: only a line end
    // and these two lead bytes can end a sentence.
    for i in memchr::memchr3_iter(b'\n', 0xE3, 0xEF, slice) {
        let pos = range.start + i;
        let rest = &slice[i..];
        if rest[0] == b'\n' {
            if pos > start {
                push_bounded(text, start..pos, &mut out);
            }
            start = pos + 1;
        } else if rest.starts_with("。".as_bytes())
            || rest.starts_with("！".as_bytes())
            || rest.starts_with("？".as_bytes())
        {
            let end = pos + 3;
            if end > start {
                push_bounded(text, start..end, &mut out);
            }
            start = end;
        }
    }
    if range.end > start {
        push_bounded(text, start..range.end, &mut out);
    }
    out
}

/// Push `span`, cut into pieces of at most [`MAX_SENTENCE_BYTES`].
fn push_bounded(text: &str, span: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut start = span.start;
    while span.end - start > MAX_SENTENCE_BYTES {
        let mut limit = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let cut = text[start..limit]
            .rfind(['；', '，'])
            .map(|k| start + k + '，'.len_utf8())
            .filter(|&c| c > start + MAX_SENTENCE_BYTES / 2)
            .unwrap_or(limit);
        out.push(start..cut);
        start = cut;
    }
    if span.end > start {
        out.push(start..span.end);
    }
}

#[cfg(test)]
mod tests {
    /// The reading `lines_in` must agree with: split at every line end.
    fn lines_by_split(text: &str, range: Range<usize>) -> Vec<Line<'_>> {
        let mut out = Vec::new();
        let mut start = range.start;
        for part in text[range].split('\n') {
            let end = start + part.len();
            if !part.trim().is_empty() {
                out.push(Line {
                    text: part,
                    span: start..end,
                });
            }
            start = end + 1;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn lines_agree_with_a_split(t in "[甲 \n。a]{0,24}", a in 0usize..80, n in 0usize..80) {
            let floor = |mut i: usize| {
                i = i.min(t.len());
                while !t.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let r = floor(a)..floor(a + n);
            proptest::prop_assert_eq!(lines_in(&t, r.clone()), lines_by_split(&t, r));
        }
    }

    use super::*;

    #[test]
    fn sentences_split_on_full_stops_and_lines() {
        let t = "甲增长5%；乙增长6%。丙。\n丁";
        let s: Vec<&str> = sentences(t, 0..t.len())
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(s, vec!["甲增长5%；乙增长6%。", "丙。", "丁"]);
    }

    #[test]
    fn long_runs_are_cut_into_bounded_sentences() {
        // A run of figures with no full stop, as a flattened table gives.
        let t = "产值增长5%，".repeat(2000) + "末尾。";
        let spans = sentences(&t, 0..t.len());
        assert!(spans.len() > 1);
        assert!(spans.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES));
        // Pieces cover the text without gaps and end after a comma.
        assert_eq!(spans[0].start, 0);
        assert!(spans.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(spans.last().map(|r| r.end), Some(t.len()));
        assert!(t[spans[0].clone()].ends_with('，'));
        // Without any comma the cut falls on a character boundary.
        let u = "经".repeat(5000);
        let spans = sentences(&u, 0..u.len());
        assert!(
            spans
                .iter()
                .all(|r| u.is_char_boundary(r.start) && r.len() <= MAX_SENTENCE_BYTES)
        );
    }

    /// The character-by-character reading `sentences` must agree with.
    fn sentences_by_char(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = range.start;
        for (i, c) in text[range.clone()].char_indices() {
            let pos = range.start + i;
            match c {
                '。' | '！' | '？' => {
                    let end = pos + c.len_utf8();
                    if end > start {
                        push_bounded(text, start..end, &mut out);
                    }
                    start = end;
                }
                '\n' => {
                    if pos > start {
                        push_bounded(text, start..pos, &mut out);
                    }
                    start = pos + 1;
                }
                _ => {}
            }
        }
        if range.end > start {
            push_bounded(text, start..range.end, &mut out);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn sentences_agree_with_a_reading_by_character(t in "[甲。！？、（）\n a]{0,24}") {
            proptest::prop_assert_eq!(sentences(&t, 0..t.len()), sentences_by_char(&t, 0..t.len()));
            let mid = t.char_indices().nth(3).map_or(t.len(), |(i, _)| i);
            proptest::prop_assert_eq!(sentences(&t, mid..t.len()), sentences_by_char(&t, mid..t.len()));
        }
    }

    #[test]
    fn lines_skip_blank() {
        let t = "a\n\nb\n";
        let l: Vec<&str> = lines_in(t, 0..t.len())
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(l, vec!["a", "b"]);
    }
}
