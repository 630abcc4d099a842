//! A document's text is kept once, zstd-compressed, in `documents.text`
//! (a BLOB; a store migrated from before version 9 is packed by the
//! migration). SQL reads it with `gwr_text`, which every connection the
//! store opens has:
//!
//! - `gwr_text(text)`: the whole text;
//! - `gwr_text(text, start, chars)`: `chars` characters from character
//!   `start` (from 0), as `passage_spans` gives them: the `passages` view.
//!
//! A TEXT value is returned as it is, so a row written by hand still reads.
//! The last text unpacked is kept, so a view that cuts many passages out of
//! one document unpacks it once.
//!
//! A value is a zstd stream. The text is compressed as UTF-16LE, announced
//! by a skippable frame ([`UTF16_MARK`]) before the frame that holds it:
//! Chinese text takes two bytes a character there instead of three, and
//! zstd's level 4 packs it about 12% smaller than UTF-8 at level 3, and
//! faster (fewer bytes to read). Measured with libzstd (through the
//! python-zstandard binding) on both dev corpora's plain-text reports and
//! on a sample of the generated benchmark corpus: UTF-8 at level 3 2.31×
//! and 2.13×, UTF-16LE at level 4 2.62× and 2.40×. A value without the
//! mark (a store written before) is a frame of UTF-8 and still reads.
//!
//! A cut (`gwr_text(text, start, chars)`, every passage a search shows) of
//! a text whose characters are all one UTF-16 unit is taken by index from
//! the unpacked bytes, and only the cut becomes UTF-8: on the 100 MB
//! benchmark store, cutting every fiftieth passage took 1.69 G
//! instructions against 2.18 G with UTF-8 values. The whole text costs
//! more (0.46 G against 0.34 G for a tenth of the documents), for the
//! conversion from UTF-16.

use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;
use std::sync::{Arc, Mutex};

/// zstd's level for UTF-16LE text (see the module's note).
const LEVEL: i32 = 4;

/// The skippable frame that says the frame after it holds UTF-16LE: zstd's
/// first skippable magic number, a length of one, and the byte 16. A zstd
/// decoder skips it, so the value stays a valid zstd stream.
pub const UTF16_MARK: [u8; 9] = [0x50, 0x2a, 0x4d, 0x18, 1, 0, 0, 0, 16];

/// The largest text a packed value may unpack to: a value that says more is
/// refused, not allocated.
pub const MAX_TEXT_BYTES: usize = 256 << 20;

/// The columns that hold packed text: (table, column).
pub const PACKED_COLUMNS: &[(&str, &str)] = &[("documents", "text")];

/// Pack a text for `documents.text`: [`UTF16_MARK`] and a zstd frame of
/// the text in UTF-16LE.
pub fn pack(text: &str) -> Vec<u8> {
    let mut utf16 = Vec::with_capacity(text.len() * 2);
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let mut out = UTF16_MARK.to_vec();
    // Compressing from memory into memory only fails when out of memory;
    // a text kept plain (zstd's raw block) still reads back.
    match compress(&utf16) {
        Ok(frame) => out.extend_from_slice(&frame),
        Err(_) => out.extend_from_slice(&raw_frame(&utf16)),
    }
    out
}

thread_local! {
    /// A zstd context for each thread that packs: made once, not for each
    /// text (its making and its tables' reset were 0.5% of an ingest).
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// `bytes` as one zstd frame at [`LEVEL`], the frame
/// `zstd::bulk::compress` makes (`a_kept_context_packs_as_a_new_one_does`).
fn compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    COMPRESSOR.with(|c| {
        let mut c = c.try_borrow_mut().map_err(std::io::Error::other)?;
        let compressor = match &mut *c {
            Some(kept) => kept,
            none => none.insert(zstd::bulk::Compressor::new(LEVEL)?),
        };
        compressor.compress(bytes)
    })
}

/// A zstd frame that holds `bytes` uncompressed (raw blocks).
fn raw_frame(bytes: &[u8]) -> Vec<u8> {
    const BLOCK: usize = 128 << 10;
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd];
    // Frame header: single segment, 8-byte content size, no checksum.
    out.push(0b1110_0000);
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    let mut chunks = bytes.chunks(BLOCK).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0]);
    }
    while let Some(chunk) = chunks.next() {
        let last = u32::from(chunks.peek().is_none());
        let header = last | ((chunk.len() as u32) << 3);
        out.extend_from_slice(&header.to_le_bytes()[..3]);
        out.extend_from_slice(chunk);
    }
    out
}

/// Unpack a value of `documents.text`: the text, or why it cannot be read.
pub fn unpack(packed: &[u8]) -> Result<String, String> {
    Unpacker::new()?.unpack(packed)
}

/// Unpacks value after value with one zstd context (making one per value
/// costs about as much as unpacking a short document).
pub struct Unpacker(zstd::bulk::Decompressor<'static>);

impl Unpacker {
    pub fn new() -> Result<Unpacker, String> {
        zstd::bulk::Decompressor::new()
            .map(Unpacker)
            .map_err(|e| format!("zstd: {e}"))
    }

    /// The text of a packed value, or why it cannot be read.
    pub fn unpack(&mut self, packed: &[u8]) -> Result<String, String> {
        Ok(self.unpack_value(packed)?.whole())
    }

    /// A packed value unpacked, before it becomes a `String`.
    fn unpack_value(&mut self, packed: &[u8]) -> Result<Unpacked, String> {
        let (frame, utf16) = match packed.strip_prefix(&UTF16_MARK) {
            Some(frame) => (frame, true),
            None => (packed, false),
        };
        let size = zstd::zstd_safe::get_frame_content_size(frame)
            .ok()
            .flatten()
            .ok_or("not a packed text")?;
        let size = usize::try_from(size)
            .ok()
            .filter(|&s| s <= MAX_TEXT_BYTES)
            .ok_or("a packed text too large to unpack")?;
        let bytes = self
            .0
            .decompress(frame, size)
            .map_err(|e| format!("a damaged packed text: {e}"))?;
        if utf16 {
            let not_utf16 = || "a packed text that is not UTF-16".to_string();
            if bytes.len() % 2 != 0 {
                return Err(not_utf16());
            }
            // A unit D800–DFFF (high byte D8–DF) is half of a pair. A fold,
            // not `any`, so that the loop is vectorized.
            let astral = bytes
                .chunks_exact(2)
                .fold(false, |seen, u| seen | (u[1] & 0xF8 == 0xD8));
            if astral {
                // A unit's index is not a character's: the text is made
                // UTF-8 once, here, and cut as UTF-8 is.
                return char::decode_utf16(units_of(&bytes))
                    .collect::<Result<String, _>>()
                    .map(Unpacked::Utf8)
                    .map_err(|_| not_utf16());
            }
            return Ok(Unpacked::Utf16(bytes));
        }
        // The vectorized check, then one copy: a fraction of the standard
        // check's cost on Chinese text.
        simdutf8::basic::from_utf8(&bytes)
            .map(|t| Unpacked::Utf8(t.to_owned()))
            .map_err(|_| "a packed text that is not UTF-8".into())
    }
}

/// The code units of UTF-16LE bytes.
fn units_of(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    bytes
        .chunks_exact(2)
        .map(|u| u16::from_le_bytes([u[0], u[1]]))
}

/// An unpacked value: UTF-8 text, or UTF-16LE bytes of one unit a
/// character (an even length, no surrogate), made text only as far as
/// asked.
enum Unpacked {
    Utf8(String),
    Utf16(Vec<u8>),
}

impl Unpacked {
    /// The whole text.
    fn whole(&self) -> String {
        match self {
            Unpacked::Utf8(t) => t.clone(),
            // encoding_rs's vectorized decoder; the bytes were checked.
            Unpacked::Utf16(bytes) => encoding_rs::UTF_16LE
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        }
    }

    /// `chars` characters from character `start`, as [`cut`]: UTF-16 is
    /// cut by index, and only the cut is made text.
    fn cut(&self, start: i64, chars: i64) -> String {
        match self {
            Unpacked::Utf16(bytes) => {
                let (Ok(start), Ok(chars)) = (usize::try_from(start), usize::try_from(chars))
                else {
                    return String::new();
                };
                let units = bytes.len() / 2;
                let from = start.min(units);
                let to = from.saturating_add(chars).min(units);
                char::decode_utf16(units_of(&bytes[2 * from..2 * to]))
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            }
            Unpacked::Utf8(t) => cut(t, start, chars).to_string(),
        }
    }
}

/// The text of a value of `documents.text`, packed or plain.
pub fn read(value: ValueRef<'_>) -> Result<Option<String>, String> {
    match value {
        ValueRef::Null => Ok(None),
        ValueRef::Blob(b) => unpack(b).map(Some),
        ValueRef::Text(t) => Ok(Some(String::from_utf8_lossy(t).into_owned())),
        ValueRef::Integer(_) | ValueRef::Real(_) => Err("a number, not a text".into()),
    }
}

/// The last value unpacked, and the context that unpacks.
struct Last {
    packed: Vec<u8>,
    text: Option<Unpacked>,
    unpacker: Unpacker,
}

/// Register `gwr_text` (one and three arguments) on `conn`.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let unpacker = Unpacker::new().map_err(|e| rusqlite::Error::UserFunctionError(e.into()))?;
    let last = Arc::new(Mutex::new(Last {
        packed: Vec::new(),
        text: None,
        unpacker,
    }));
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let whole = last.clone();
    conn.create_scalar_function("gwr_text", 1, flags, move |ctx| {
        with_text(ctx, &whole, None)
    })?;
    conn.create_scalar_function("gwr_text", 3, flags, move |ctx| {
        let start: i64 = ctx.get(1)?;
        let chars: i64 = ctx.get(2)?;
        with_text(ctx, &last, Some((start, chars)))
    })
}

/// The text of the function's first argument (NULL for NULL), whole or
/// `chars` characters from `start`; a packed value is unpacked once for a
/// run of calls on it.
fn with_text(
    ctx: &Context<'_>,
    last: &Mutex<Last>,
    span: Option<(i64, i64)>,
) -> rusqlite::Result<Option<String>> {
    let fail = |e: String| rusqlite::Error::UserFunctionError(e.into());
    match ctx.get_raw(0) {
        ValueRef::Blob(b) => {
            let mut last = last.lock().map_err(|_| fail("gwr_text: poisoned".into()))?;
            if last.packed != b || last.text.is_none() {
                last.text = None;
                let text = last.unpacker.unpack_value(b).map_err(fail)?;
                last.packed = b.to_vec();
                last.text = Some(text);
            }
            Ok(last.text.as_ref().map(|t| match span {
                None => t.whole(),
                Some((start, chars)) => t.cut(start, chars),
            }))
        }
        other => Ok(read(other).map_err(fail)?.map(|t| match span {
            None => t,
            Some((start, chars)) => cut(&t, start, chars).to_string(),
        })),
    }
}

/// `chars` characters of `text` from character `start` (0-based), as
/// SQLite's `substr(text, start + 1, chars)` gives them for `start >= 0`.
fn cut(text: &str, start: i64, chars: i64) -> &str {
    let (Ok(start), Ok(chars)) = (usize::try_from(start), usize::try_from(chars)) else {
        return "";
    };
    let Some(from) = char_offset(text, 0, start) else {
        return "";
    };
    let to = char_offset(text, from, chars).unwrap_or(text.len());
    &text[from..to]
}

/// The byte offset `n` characters after byte offset `from` (a character
/// boundary) of `text`: its length for the character after the last one,
/// `None` past that. Blocks of up to 64 bytes (up to the start of the
/// character that straddles their end) are skipped by counting the bytes
/// that start a character, a loop the compiler vectorizes; the rest is
/// walked character by character.
fn char_offset(text: &str, from: usize, n: usize) -> Option<usize> {
    const BLOCK: usize = 64;
    let starts_char = |b: u8| (b as i8) >= -0x40;
    let bytes = text.as_bytes();
    let (mut at, mut left) = (from, n);
    while at + BLOCK < bytes.len() {
        let mut end = at + BLOCK;
        while !bytes.get(end).copied().is_some_and(starts_char) {
            end -= 1;
        }
        let k = bytes[at..end].iter().filter(|&&b| starts_char(b)).count();
        if k > left {
            break;
        }
        left -= k;
        at = end;
    }
    let rest = text.get(at..)?;
    rest.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(rest.len()))
        .nth(left)
        .map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_text_packs_smaller_and_reads_back() {
        let text = "全面深化改革，推进高质量发展。".repeat(200);
        let packed = pack(&text);
        assert!(packed.len() * 4 < text.len(), "{}", packed.len());
        assert_eq!(unpack(&packed).as_deref(), Ok(text.as_str()));
        assert_eq!(unpack(&pack("")).as_deref(), Ok(""));
    }

    /// A thread's kept zstd context makes the frames a new context makes,
    /// text after text.
    #[test]
    fn a_kept_context_packs_as_a_new_one_does() {
        let texts = [
            "全年实现地区生产总值1234.5亿元，增长6.5%。".repeat(40),
            String::new(),
            "a".to_string(),
            "推进共同富裕示范区建设\n完成安置房交付3.2万套".repeat(300),
        ];
        for text in texts.iter().chain(texts.iter()) {
            let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let mut want = UTF16_MARK.to_vec();
            want.extend(zstd::bulk::compress(&utf16, LEVEL).expect("compresses"));
            assert_eq!(pack(text), want);
        }
    }

    /// A value is a zstd stream (the mark is a frame zstd skips) of the
    /// text in UTF-16LE, and astral characters (surrogate pairs) read back.
    #[test]
    fn a_value_is_a_zstd_stream_of_utf16() {
        let text = "地区生产总值增长5%😀";
        let packed = pack(text);
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(zstd::stream::decode_all(&packed[..]).ok(), Some(utf16));
        assert_eq!(unpack(&packed).as_deref(), Ok(text));
    }

    /// A value written before the mark (a frame of UTF-8) still reads.
    #[test]
    fn a_utf8_frame_still_reads() {
        let text = "全面深化改革，推进高质量发展。".repeat(50);
        let old = zstd::bulk::compress(text.as_bytes(), 3).expect("compress");
        assert_eq!(unpack(&old).as_deref(), Ok(text.as_str()));
    }

    #[test]
    fn a_raw_frame_reads_as_zstd_reads_it() {
        for n in [0usize, 1, 5, 128 << 10, (128 << 10) + 7, 300_000] {
            let bytes: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            let text = String::from_utf8(bytes).expect("ascii");
            assert_eq!(unpack(&raw_frame(text.as_bytes())), Ok(text), "{n}");
        }
    }

    #[test]
    fn bad_values_are_errors_not_panics() {
        assert!(unpack(b"").is_err());
        assert!(unpack(b"plain bytes").is_err());
        let mut packed = pack(&"民生实事".repeat(100));
        packed.truncate(packed.len() / 2);
        assert!(unpack(&packed).is_err());
        // A frame that claims a huge text is refused before allocating.
        let mut huge = vec![0x28, 0xb5, 0x2f, 0xfd, 0b1110_0000];
        huge.extend_from_slice(&(u64::MAX / 2).to_le_bytes());
        huge.extend_from_slice(&[1, 0, 0]);
        assert!(unpack(&huge).unwrap_err().contains("too large"));
        // Invalid UTF-8 inside a good frame.
        assert!(unpack(&raw_frame(&[0xff, 0xfe])).is_err());
        // Behind the mark: an odd length, and a lone surrogate.
        for bad in [&[0x41, 0x00, 0x42][..], &[0x00, 0xd8, 0x41, 0x00]] {
            let mut v = UTF16_MARK.to_vec();
            v.extend_from_slice(&raw_frame(bad));
            assert!(unpack(&v).unwrap_err().contains("UTF-16"));
        }
        // The mark alone, or before junk.
        assert!(unpack(&UTF16_MARK).is_err());
        assert!(unpack(&[&UTF16_MARK[..], b"junk"].concat()).is_err());
    }

    /// `gwr_text` in SQL: packed and plain values, whole and cut, and a
    /// damaged value is an SQL error.
    #[test]
    fn gwr_text_reads_packed_and_plain_values() {
        let conn = Connection::open_in_memory().expect("db");
        register(&conn).expect("register");
        let text = "一、过去一年工作回顾\n地区生产总值增长6%。";
        let get = |sql: &str, v: &dyn rusqlite::ToSql| {
            conn.query_row(sql, [v], |r| r.get::<_, Option<String>>(0))
        };
        let packed = pack(text);
        assert_eq!(
            get("SELECT gwr_text(?1)", &packed).expect("whole"),
            Some(text.into())
        );
        assert_eq!(
            get("SELECT gwr_text(?1)", &text).expect("plain"),
            Some(text.into())
        );
        assert_eq!(
            get("SELECT gwr_text(?1, 11, 6)", &packed).expect("cut"),
            Some("地区生产总值".into())
        );
        assert_eq!(
            get("SELECT gwr_text(?1)", &rusqlite::types::Null).expect("null"),
            None
        );
        assert!(get("SELECT gwr_text(?1)", &b"junk".to_vec()).is_err());
    }

    proptest! {
        /// The block-skipping offset equals walking character by character.
        #[test]
        fn char_offsets_equal_walking(text in "[a-z一-龥，。\n 😀]{0,200}", n in 0usize..220) {
            let walked = text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .nth(n);
            prop_assert_eq!(char_offset(&text, 0, n), walked);
        }

        /// Any text reads back whole, and every cut equals SQLite's substr.
        #[test]
        fn cuts_equal_substr(text in "[a-z一-龥，。\n 😀\u{20000}]{0,150}", start in 0i64..160, chars in 0i64..160) {
            prop_assert_eq!(unpack(&pack(&text)), Ok(text.clone()));
            let conn = Connection::open_in_memory().expect("db");
            let want: String = conn
                .query_row("SELECT substr(?1, ?2 + 1, ?3)", rusqlite::params![text, start, chars], |r| r.get(0))
                .expect("substr");
            prop_assert_eq!(cut(&text, start, chars), want.as_str());
            // The packed value cut by code units (or, with astral
            // characters, by characters), and whole.
            let value = Unpacker::new().expect("zstd").unpack_value(&pack(&text)).expect("unpacks");
            prop_assert_eq!(value.cut(start, chars), want);
            prop_assert_eq!(value.whole(), text.clone());
            prop_assert_eq!(Unpacked::Utf8(text.clone()).cut(start, chars), cut(&text, start, chars));
        }
    }
}
