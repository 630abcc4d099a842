//! The word index's tokens, made where the words are cut (in the ingest
//! workers and for each query) rather than by SQLite on the single writer.
//!
//! SQLite's `unicode61` tokenizer decides, character by character, whether
//! a character belongs to a token and what it folds to (lower case, no
//! diacritic, or nothing for a combining mark). Its decisions, read off the
//! SQLite gwr links by `table_is_sqlites_unicode61`, are written once in
//! `data/unicode61.txt`. [`push_tokens`] applies them to a word, so the
//! word index can use FTS5's `ascii` tokenizer, which only splits on ASCII
//! characters that are not letters or digits and lowers ASCII letters: on
//! the text `push_tokens` writes, it gives the tokens `unicode61` would give
//! on the words themselves (`tokens_are_unicode61s`). A store made before
//! this keeps `unicode61` on its word index, which gives the same tokens
//! on the same text.

use std::sync::LazyLock;

const UNICODE61_TXT: &str = include_str!("../../../data/unicode61.txt");

/// `unicode61`'s reading of characters (`data/unicode61.txt`).
pub(crate) struct Unicode61 {
    /// Code point ranges (inclusive) of token characters, sorted.
    tokens: Vec<(u32, u32)>,
    /// Token characters that fold to another (0: to nothing), sorted.
    folds: Vec<(u32, u32)>,
    /// A range of three-byte characters (inside U+4000–U+9FFF) that are
    /// all token characters folding to themselves: copied as they are.
    plain: (u32, u32),
}

impl Unicode61 {
    pub(crate) fn builtin() -> &'static Unicode61 {
        static TABLE: LazyLock<Unicode61> =
            LazyLock::new(|| Unicode61::parse(UNICODE61_TXT).expect("data/unicode61.txt is valid"));
        &TABLE
    }

    fn parse(text: &str) -> Result<Unicode61, String> {
        let mut tokens = Vec::new();
        let mut folds = Vec::new();
        let hex = |s: &str| u32::from_str_radix(s, 16).map_err(|e| format!("{s:?}: {e}"));
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                ["T", a, z] => tokens.push((hex(a)?, hex(z)?)),
                ["F", c, to] => folds.push((hex(c)?, hex(to)?)),
                _ => return Err(format!("unreadable line {line:?}")),
            }
        }
        if !tokens.is_sorted() || !folds.is_sorted() {
            return Err("ranges out of order".into());
        }
        let mut t = Unicode61 {
            tokens,
            folds,
            plain: (1, 0),
        };
        // The token range holding 一 (U+4E00), cut to U+4000–U+9FFF and to
        // the characters before the first fold in it.
        if let Some(&(a, z)) = t.tokens.iter().find(|r| r.0 <= 0x4E00 && 0x4E00 <= r.1) {
            let (a, mut z) = (a.max(0x4000), z.min(0x9FFF));
            if let Some(&(f, _)) = t.folds.iter().find(|f| (a..=z).contains(&f.0)) {
                z = f - 1;
            }
            t.plain = (a, z);
        }
        Ok(t)
    }

    /// `None`: `c` separates tokens; `Some(None)`: it is dropped from its
    /// token; `Some(Some(f))`: it is written as `f`.
    fn read(&self, c: char) -> Option<Option<char>> {
        let u = c as u32;
        let i = self.tokens.partition_point(|r| r.1 < u);
        if self.tokens.get(i).is_none_or(|r| r.0 > u) {
            return None;
        }
        match self.folds.binary_search_by_key(&u, |f| f.0) {
            Ok(k) => Some(char::from_u32(self.folds[k].1).filter(|&f| f != '\0')),
            Err(_) => Some(Some(c)),
        }
    }
}

/// Write the tokens of `w` (already lower-cased as the index keeps words)
/// to `out` as `unicode61` reads them, each after a space when `out` has a
/// token before it. ASCII letters and digits and the ideographs of
/// [`Unicode61::plain`] (nearly every character of a report) are copied
/// without a lookup.
pub(crate) fn push_tokens(out: &mut String, w: &str) {
    let t = Unicode61::builtin();
    // Whether the last character written belongs to a token that goes on.
    let mut open = false;
    for c in w.chars() {
        let u = c as u32;
        let read = if c.is_ascii() {
            c.is_ascii_alphanumeric()
                .then_some(Some(c.to_ascii_lowercase()))
        } else if t.plain.0 <= u && u <= t.plain.1 {
            Some(Some(c))
        } else {
            t.read(c)
        };
        match read {
            None => open = false,
            Some(None) => {}
            Some(Some(f)) => {
                if !open && !out.is_empty() {
                    out.push(' ');
                }
                open = true;
                out.push(f);
            }
        }
    }
}

/// The tokens of `w`, joined by spaces (see [`push_tokens`]).
pub(crate) fn tokens_of(w: &str) -> String {
    let mut s = String::with_capacity(w.len());
    push_tokens(&mut s, w);
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rusqlite::Connection;

    /// SQLite's `unicode61` reading of every character, probed through an
    /// FTS5 table: each character `c` goes between `a` and `b`; the index
    /// then holds `a`, `b` (a separator), `ab` (dropped) or `a{f}b`.
    fn sqlites_reading() -> Vec<Option<Option<u32>>> {
        let db = Connection::open_in_memory().expect("memory db");
        db.execute_batch(
            "CREATE VIRTUAL TABLE p USING fts5(t, tokenize='unicode61');
             CREATE VIRTUAL TABLE v USING fts5vocab(p, 'instance');",
        )
        .expect("probe tables");
        let all: Vec<u32> = (0..=0x10FFFFu32).collect();
        let mut insert = db
            .prepare("INSERT INTO p (rowid, t) VALUES (?1, ?2)")
            .expect("insert");
        for (k, chunk) in all.chunks(4096).enumerate() {
            let mut text = String::new();
            for &u in chunk {
                // A surrogate or NUL is probed as a plain separator.
                let c = char::from_u32(u).filter(|&c| c != '\0').unwrap_or(' ');
                text.push('a');
                text.push(c);
                text.push_str("b ");
            }
            insert
                .execute(rusqlite::params![k as i64, text])
                .expect("probe row");
        }
        let mut rows: Vec<(i64, i64, String)> = db
            .prepare("SELECT doc, offset, term FROM v")
            .expect("vocab")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("read vocab")
            .collect::<Result<_, _>>()
            .expect("vocab rows");
        rows.sort();
        let mut out = Vec::with_capacity(all.len());
        let mut terms = rows.into_iter().map(|r| r.2);
        for &u in &all {
            let t = terms.next().expect("a token per probe");
            let read = if char::from_u32(u).is_none_or(|c| c == '\0') || t == "a" {
                None
            } else {
                let mid = &t[1..t.len() - 1];
                let mut cs = mid.chars();
                match (cs.next(), cs.next()) {
                    (None, _) => Some(None),
                    (Some(f), None) => Some(Some(f as u32)),
                    _ => panic!("U+{u:04X} read as {t:?}"),
                }
            };
            if t == "a" {
                assert_eq!(terms.next().as_deref(), Some("b"), "U+{u:04X}");
            }
            out.push(read);
        }
        assert!(terms.next().is_none());
        out
    }

    /// The table as `data/unicode61.txt` writes it.
    fn table_text(reading: &[Option<Option<u32>>]) -> String {
        let mut s = String::from(
            "# SQLite FTS5's unicode61 tokenizer (remove_diacritics 1), character by\n\
             # character, read off the SQLite gwr links (gwr-store/src/tokens.rs,\n\
             # table_is_sqlites_unicode61, writes it when GWR_WRITE_UNICODE61=1).\n\
             # T first last: a range of token characters; F char to: a token\n\
             # character written as another (0: dropped). Code points in hex.\n",
        );
        let mut u = 0usize;
        while u < reading.len() {
            if reading[u].is_none() {
                u += 1;
                continue;
            }
            let a = u;
            while u + 1 < reading.len() && reading[u + 1].is_some() {
                u += 1;
            }
            s.push_str(&format!("T {a:04X} {u:04X}\n"));
            u += 1;
        }
        for (u, r) in reading.iter().enumerate() {
            match r {
                Some(Some(f)) if *f as usize != u => s.push_str(&format!("F {u:04X} {f:04X}\n")),
                Some(None) => s.push_str(&format!("F {u:04X} 0\n")),
                _ => {}
            }
        }
        s
    }

    #[test]
    fn table_is_sqlites_unicode61() {
        let reading = sqlites_reading();
        let text = table_text(&reading);
        if std::env::var_os("GWR_WRITE_UNICODE61").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/unicode61.txt");
            std::fs::write(path, &text).expect("writes data/unicode61.txt");
        }
        assert!(
            text == UNICODE61_TXT,
            "data/unicode61.txt is not the linked SQLite's unicode61: \
             GWR_WRITE_UNICODE61=1 cargo test -p gwr-store table_is_sqlites_unicode61"
        );
        // Every character reads as the table says, and a written character
        // reads as itself (so both tokenizers keep what is written).
        let t = Unicode61::builtin();
        for (u, r) in reading.iter().enumerate() {
            let Some(c) = char::from_u32(u as u32).filter(|&c| c != '\0') else {
                continue;
            };
            let want = r.map(|f| f.and_then(char::from_u32));
            assert_eq!(t.read(c), want, "U+{u:04X}");
            if let Some(Some(f)) = want {
                assert!(!f.is_ascii() || f.is_ascii_alphanumeric(), "U+{u:04X}");
                assert_eq!(t.read(f), Some(Some(f)), "U+{u:04X} → {f:?}");
            }
        }
        assert!(t.plain.0 <= 0x4E00 && 0x9000 <= t.plain.1, "{:X?}", t.plain);
    }

    /// The tokens FTS5 makes of `text` with `tokenizer`, in order.
    pub(crate) fn fts_tokens(db: &Connection, tokenizer: &str, text: &str) -> Vec<String> {
        db.execute_batch(&format!(
            "DROP TABLE IF EXISTS v; DROP TABLE IF EXISTS p;
             CREATE VIRTUAL TABLE p USING fts5(t, tokenize='{tokenizer}');
             CREATE VIRTUAL TABLE v USING fts5vocab(p, 'instance');"
        ))
        .expect("tables");
        db.execute("INSERT INTO p (rowid, t) VALUES (1, ?1)", [text])
            .expect("row");
        let mut rows: Vec<(i64, String)> = db
            .prepare("SELECT offset, term FROM v")
            .expect("vocab")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("read")
            .collect::<Result<_, _>>()
            .expect("rows");
        rows.sort();
        rows.into_iter().map(|r| r.1).collect()
    }

    proptest::proptest! {
        // What `ascii` makes of the written tokens is what `unicode61`
        // makes of the words (and of the written tokens).
        #[test]
        fn tokens_are_unicode61s(
            w in "[a-z0-9 ，。·—\\-+.é̀Σσ乡村振兴经济一〇\\u{9FD0}\\u{20000}Ａａ①ⅷ_]{0,24}"
        ) {
            let db = Connection::open_in_memory().expect("memory db");
            let written = tokens_of(&w);
            let want = fts_tokens(&db, "unicode61", &w);
            proptest::prop_assert_eq!(fts_tokens(&db, "ascii", &written), want.clone());
            proptest::prop_assert_eq!(fts_tokens(&db, "unicode61", &written), want);
        }
    }

    #[test]
    fn words_split_and_fold_as_unicode61_does() {
        assert_eq!(tokens_of("乡村振兴"), "乡村振兴");
        assert_eq!(tokens_of("covid-19"), "covid 19");
        assert_eq!(tokens_of("互联网+"), "互联网");
        assert_eq!(tokens_of("café"), "cafe");
        assert_eq!(tokens_of("3.5"), "3 5");
        assert_eq!(tokens_of("·"), "");
        let mut s = String::from("数字");
        push_tokens(&mut s, "经济");
        assert_eq!(s, "数字 经济");
    }
}
