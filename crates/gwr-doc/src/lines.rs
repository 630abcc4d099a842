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
    let mut start = range.start;
    let slice = &text[range.clone()];
    for part in slice.split('\n') {
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

/// Sentence spans inside `range`: split after 。！？ and at line ends.
/// Semicolons do not end a sentence.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (i, c) in text[range.clone()].char_indices() {
        let pos = range.start + i;
        match c {
            '。' | '！' | '？' => {
                let end = pos + c.len_utf8();
                if end > start {
                    out.push(start..end);
                }
                start = end;
            }
            '\n' => {
                if pos > start {
                    out.push(start..pos);
                }
                start = pos + 1;
            }
            _ => {}
        }
    }
    if range.end > start {
        out.push(start..range.end);
    }
    out
}

#[cfg(test)]
mod tests {
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
    fn lines_skip_blank() {
        let t = "a\n\nb\n";
        let l: Vec<&str> = lines_in(t, 0..t.len())
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(l, vec!["a", "b"]);
    }
}
