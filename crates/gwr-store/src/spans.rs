//! Passages as spans of their document's text. The store keeps a
//! document's text once; a passage is where it starts in that text and how
//! long it is, both in characters (what SQL's `substr` counts, so the
//! `passages` view can cut it out). Readers that hold the text cut passages
//! out in Rust, walking the text once per document.

/// Finds passages in a document's text in order, as character spans.
pub struct SpanFinder<'a> {
    text: &'a str,
    /// Byte and character position where the next passage is looked for.
    byte: usize,
    char: usize,
}

impl<'a> SpanFinder<'a> {
    pub fn new(text: &'a str) -> SpanFinder<'a> {
        SpanFinder {
            text,
            byte: 0,
            char: 0,
        }
    }

    /// Character start and length of `passage`, the first place at or after
    /// the last one found (or, failing that, anywhere in the text).
    pub fn find(&mut self, passage: &str) -> Option<(i64, i64)> {
        let chars = passage.chars().count() as i64;
        let rest = self.text.get(self.byte..)?;
        let (at, before) = match rest.find(passage) {
            Some(i) => (self.byte + i, self.char + rest[..i].chars().count()),
            None => {
                let i = self.text.find(passage)?;
                (i, self.text[..i].chars().count())
            }
        };
        self.byte = at + passage.len();
        self.char = before + chars as usize;
        Some((before as i64, chars))
    }
}

/// Turns character offsets into byte offsets of one text; cheapest when
/// asked in increasing order (each step walks on from the last).
pub struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    char: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> CharCursor<'a> {
        CharCursor {
            text,
            byte: 0,
            char: 0,
        }
    }

    /// Byte offset of character `at` (the text's length past its end).
    pub fn byte_of(&mut self, at: usize) -> usize {
        if at < self.char {
            self.byte = 0;
            self.char = 0;
        }
        let mut it = self.text[self.byte..].char_indices();
        while self.char < at {
            match it.next() {
                Some((_, c)) => {
                    self.byte += c.len_utf8();
                    self.char += 1;
                }
                None => return self.text.len(),
            }
        }
        self.byte
    }

    /// The text of the span `start`, `chars` long (characters).
    pub fn slice(&mut self, start: i64, chars: i64) -> &'a str {
        let a = self.byte_of(start.max(0) as usize);
        let b = self.byte_of((start.max(0) + chars.max(0)) as usize);
        self.text.get(a..b).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_found_in_order() {
        let text = "一、回顾\n  全市生产总值增长6%。\n办好民生实事。\n办好民生实事。\n";
        let mut f = SpanFinder::new(text);
        assert_eq!(f.find("一、回顾"), Some((0, 4)));
        assert_eq!(f.find("全市生产总值增长6%。"), Some((7, 11)));
        // A repeated line is found at its second place the second time.
        assert_eq!(f.find("办好民生实事。"), Some((19, 7)));
        assert_eq!(f.find("办好民生实事。"), Some((27, 7)));
        // Out of order still finds it; absent text is None.
        assert_eq!(f.find("一、回顾"), Some((0, 4)));
        assert_eq!(f.find("不在其中"), None);
    }

    #[test]
    fn spans_cut_back_what_was_found() {
        let text = "标题\n第一段，含数字3.5%。\nEnglish words 和中文\n";
        let lines: Vec<&str> = text.lines().collect();
        let mut f = SpanFinder::new(text);
        let spans: Vec<(i64, i64)> = lines.iter().filter_map(|l| f.find(l)).collect();
        let mut c = CharCursor::new(text);
        for (l, (s, n)) in lines.iter().zip(&spans) {
            assert_eq!(&c.slice(*s, *n), l);
        }
        // Backwards and past the end are answered too.
        assert_eq!(c.slice(0, 2), "标题");
        assert_eq!(c.slice(1000, 5), "");
        assert_eq!(c.slice(-3, 2), "标题");
    }
}
