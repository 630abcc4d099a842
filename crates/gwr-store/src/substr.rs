//! The substring index: for every three consecutive characters of a line
//! (a trigram, ASCII letters folded to lower case), the documents that hold
//! them. A substring search reads the documents that hold every trigram of
//! its terms (search.rs) and checks them.
//!
//! The ingest workers make each document's trigrams ([`keys`], sorted and
//! distinct); the writer only appends them to [`Pending`], and writes them
//! as one segment when it is full and when an ingest ends ([`flush`]): a
//! trigram's documents, ascending, in rows of at most about
//! [`MAX_ROW_BYTES`] (`substr_index`: segment, key, part, the documents in
//! the Elias-Fano form or as varints, see [`encode`]). Segments are merged by levels: a
//! new one is of level 0, and [`FANOUT`] of one level are merged into one
//! of the next, so a document's entry is rewritten once per level (a
//! logarithm of the corpus) and a search looks in fewer than [`FANOUT`]
//! segments per level. `substr_state.through` says which documents the
//! index covers: every one up to that id. A document past it (an ingest
//! stopped before its last flush) is a candidate of every search, and the
//! next ingest indexes it first ([`catch_up`]).

use crate::StoreError;
use rusqlite::{Connection, OptionalExtension, params};

/// Pairs of (trigram, document) held before they are written as a segment
/// (16 bytes each: 64 MB).
pub const MAX_PENDING_PAIRS: usize = 4 << 20;
/// Segments of one level merged into one of the next.
pub const FANOUT: i64 = 8;
/// Rows a merge reads from a segment at a time (a few in tests, so that
/// reads end among a trigram's rows).
const MERGE_ROWS: i64 = if cfg!(test) { 3 } else { 4096 };
/// Documents [`catch_up`] reads at a time.
const CATCH_UP_DOCS: i64 = 64;
/// A row's documents take at most this many bytes (one document's may
/// take more): a row then stays inside its B-tree page, where SQLite keeps
/// up to 1,002 bytes of an index row at 4,096-byte pages and sends the rest
/// to overflow pages whose last one mostly stays empty. Rows of 480 to
/// 960 bytes filled pages alike in a replay of the 1 GB benchmark store's
/// rows (197 to 211 MB, against 284 MB unsplit).
const MAX_ROW_BYTES: usize = 700;

/// The character as the index keys it: ASCII letters folded to lower case.
fn fold(c: char) -> u64 {
    u64::from(c.to_ascii_lowercase())
}

/// The trigram keys of `text`, line by line (three characters in 21 bits
/// each), sorted and distinct.
pub fn keys(text: &str) -> Vec<i64> {
    const MASK: u64 = (1 << 63) - 1;
    let mut out = Vec::with_capacity(text.len() / 3);
    for line in text.split('\n') {
        let mut key = 0u64;
        for (n, c) in line.chars().enumerate() {
            key = ((key << 21) | fold(c)) & MASK;
            if n >= 2 {
                out.push(key as i64);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    // Held until the writer takes the file: only the distinct keys' room.
    out.shrink_to_fit();
    out
}

/// Append `v` as an LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The tag of a row in the Elias-Fano form. A row of varints never starts
/// with it: its first varint is a document id, and ids start at 1.
const ELIAS_FANO: u8 = 0;
/// The widest low part of the Elias-Fano form: eight bytes read at any bit
/// hold it.
const MAX_LOW_BITS: u32 = 56;

/// Ascending document ids as the row [`encode_rows`] writes for them
/// (when they fit one).
#[cfg(test)]
fn encode(docs: &[i64]) -> Vec<u8> {
    encode_as(docs, form(docs).0)
}

/// A row's form: Elias-Fano (`true`) or varints.
type EliasFano = bool;

/// The form a list's row takes, and the row's length, sized, not
/// written: Elias-Fano always for a list from id 0 or below, else when it
/// is shorter. The Elias-Fano length is a sum of a few numbers, the
/// varints' a pass over the list; a varint takes a byte at least, so an
/// Elias-Fano row of fewer bytes than ids is shorter without that pass
/// (a dense list, whose halves [`encode_rows`] sizes again and again).
fn form(docs: &[i64]) -> (EliasFano, usize) {
    match docs.first() {
        Some(&first) if first < 1 => (true, elias_fano_len(docs)),
        Some(_) if docs.len() > 2 => {
            let ef = elias_fano_len(docs);
            if ef < docs.len() {
                return (true, ef);
            }
            let varints = varints_len(docs);
            if ef < varints {
                (true, ef)
            } else {
                (false, varints)
            }
        }
        _ => (false, varints_len(docs)),
    }
}

/// Ascending document ids as a row in the given form ([`form`] chooses).
///
/// The Elias-Fano form: [`ELIAS_FANO`], then varints of the count `n` and
/// the first id, a byte `l`, then each id's offset from the first id in two
/// parts. Its low `l` bits, `n × l` bits in a row; then its high part, in
/// unary: a one bit at position `high + i` for the `i`-th id. `l` is
/// ⌊log2(span / n)⌋, so an id takes about `2 + l` bits, where a varint
/// takes 8 or more: a trigram held by every other document costs 3 bits a
/// document instead of 8.
fn encode_as(docs: &[i64], elias_fano: EliasFano) -> Vec<u8> {
    if elias_fano {
        encode_elias_fano(docs)
    } else {
        encode_varints(docs)
    }
}

/// Bytes of a varint of `v`.
fn varint_len(v: u64) -> usize {
    (v.max(1).ilog2() / 7 + 1) as usize
}

/// Bytes of [`encode_varints`]' row.
fn varints_len(docs: &[i64]) -> usize {
    let mut last = 0i64;
    docs.iter()
        .map(|&d| varint_len(d.wrapping_sub(std::mem::replace(&mut last, d)) as u64))
        .sum()
}

/// The shape of a non-empty list's Elias-Fano form: the span of its
/// offsets from the first id, and the width of their low parts.
fn elias_fano_shape(docs: &[i64]) -> (u64, u32) {
    let n = docs.len() as u64;
    let top = docs[docs.len() - 1].wrapping_sub(docs[0]) as u64;
    let low = if top > n {
        (top / n).ilog2().min(MAX_LOW_BITS)
    } else {
        0
    };
    (top, low)
}

/// Bytes of [`encode_elias_fano`]'s row.
fn elias_fano_len(docs: &[i64]) -> usize {
    let n = docs.len() as u64;
    let (top, low) = elias_fano_shape(docs);
    let header = 2 + varint_len(n) + varint_len(docs[0] as u64);
    header + ((n * u64::from(low)).div_ceil(8) + (n + (top >> low)).div_ceil(8)) as usize
}

/// Ascending document ids as deltas in varints.
fn encode_varints(docs: &[i64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(docs.len() + 4);
    let mut last = 0i64;
    for &d in docs {
        put_varint(&mut out, d.wrapping_sub(last) as u64);
        last = d;
    }
    out
}

/// Ascending document ids, at least one, in the Elias-Fano form.
fn encode_elias_fano(docs: &[i64]) -> Vec<u8> {
    let (first, n) = (docs[0], docs.len() as u64);
    let (top, low) = elias_fano_shape(docs);
    let mut out = vec![ELIAS_FANO];
    put_varint(&mut out, n);
    put_varint(&mut out, first as u64);
    out.push(low as u8);
    let base = out.len();
    let low_bytes = (n * u64::from(low)).div_ceil(8) as usize;
    let high_bits = n + (top >> low);
    out.resize(base + low_bytes + high_bits.div_ceil(8) as usize, 0);
    let (lows, highs) = out[base..].split_at_mut(low_bytes);
    // The low parts go out in order, `low` bits each, the first bit of a
    // byte first: `bits` holds those not yet written, fewer than eight
    // between ids (and `low` is at most MAX_LOW_BITS, so they fit), and
    // `next` is the byte they go to.
    let mask = (1u64 << low) - 1;
    let (mut bits, mut held, mut next) = (0u64, 0u32, 0usize);
    for (i, &d) in docs.iter().enumerate() {
        let v = d.wrapping_sub(first) as u64;
        if low > 0 {
            bits |= (v & mask) << held;
            held += low;
            while held >= 8 {
                lows[next] = bits as u8;
                next += 1;
                bits >>= 8;
                held -= 8;
            }
        }
        let bit = (v >> low) + i as u64;
        highs[(bit / 8) as usize] |= 1 << (bit % 8);
    }
    if held > 0 {
        lows[next] = bits as u8;
    }
    out
}

/// Ascending document ids as rows of at most [`MAX_ROW_BYTES`] (halves of
/// halves of the list, in order), at least one.
fn encode_rows(docs: &[i64], out: &mut Vec<Vec<u8>>) {
    let (elias_fano, len) = form(docs);
    if docs.len() < 2 || len <= MAX_ROW_BYTES {
        out.push(encode_as(docs, elias_fano));
    } else {
        let (a, b) = docs.split_at(docs.len() / 2);
        encode_rows(a, out);
        encode_rows(b, out);
    }
}

/// Insert a trigram's documents as rows of segment `seg`.
fn insert_rows(
    insert: &mut rusqlite::CachedStatement<'_>,
    seg: i64,
    key: i64,
    docs: &[i64],
) -> Result<(), StoreError> {
    let mut rows = Vec::new();
    encode_rows(docs, &mut rows);
    for (part, blob) in rows.iter().enumerate() {
        insert.execute(params![seg, key, part as i64, blob])?;
    }
    Ok(())
}

/// The document ids of a row's blob, appended to `out`; an error for a
/// damaged blob (never more ids than the blob has bits).
pub fn decode(blob: &[u8], out: &mut Vec<i64>) -> Result<(), StoreError> {
    match blob.split_first() {
        Some((&ELIAS_FANO, rest)) => decode_elias_fano(rest, out),
        _ => decode_varints(blob, out),
    }
}

fn damaged() -> StoreError {
    StoreError::Damaged("a damaged substring index row".into())
}

/// One varint from `blob` at `*at`, moving `*at` past it.
fn get_varint(blob: &[u8], at: &mut usize) -> Result<u64, StoreError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *blob.get(*at).ok_or_else(damaged)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(damaged())
}

/// The Elias-Fano form after its tag (see [`encode`]).
fn decode_elias_fano(blob: &[u8], out: &mut Vec<i64>) -> Result<(), StoreError> {
    let mut at = 0;
    let n = get_varint(blob, &mut at)?;
    let first = get_varint(blob, &mut at)? as i64;
    let low = u32::from(*blob.get(at).ok_or_else(damaged)?);
    at += 1;
    let rest = &blob[at..];
    // Each id has a one bit in the high part: a count past the bits there
    // is damage (and bounds what is reserved).
    if low > MAX_LOW_BITS || n > rest.len() as u64 * 8 {
        return Err(damaged());
    }
    let low_bytes = (n * u64::from(low)).div_ceil(8) as usize;
    let (lows, highs) = rest.split_at_checked(low_bytes).ok_or_else(damaged)?;
    let mask = (1u64 << low) - 1;
    let n = n as usize;
    out.reserve(n);
    let mut i = 0usize;
    for w in 0..highs.len().div_ceil(8) {
        let mut bits = le_u64(highs, w * 8);
        while bits != 0 && i < n {
            let high = (w as u64 * 64 + u64::from(bits.trailing_zeros())) - i as u64;
            bits &= bits - 1;
            let v = if low == 0 {
                high
            } else {
                let at = i as u64 * u64::from(low);
                let (byte, shift) = ((at / 8) as usize, at % 8);
                (high << low) | ((le_u64(lows, byte) >> shift) & mask)
            };
            out.push(first.wrapping_add(v as i64));
            i += 1;
        }
        if i == n {
            return Ok(());
        }
    }
    if i == n { Ok(()) } else { Err(damaged()) }
}

/// The eight bytes of `bytes` from `at` as a little-endian number, zeros
/// past its end: one load where eight bytes are there (every id's low part
/// but the last few), rather than a copy of a length known only then.
#[inline]
fn le_u64(bytes: &[u8], at: usize) -> u64 {
    match bytes
        .get(at..at + 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
    {
        Some(word) => u64::from_le_bytes(word),
        None => {
            let have = &bytes[at.min(bytes.len())..];
            let mut word = [0u8; 8];
            let k = have.len().min(8);
            word[..k].copy_from_slice(&have[..k]);
            u64::from_le_bytes(word)
        }
    }
}

/// Ascending document ids as deltas in varints (see [`encode_varints`]).
fn decode_varints(blob: &[u8], out: &mut Vec<i64>) -> Result<(), StoreError> {
    let (mut last, mut v, mut shift) = (0i64, 0u64, 0u32);
    for &b in blob {
        if shift > 63 {
            return Err(damaged());
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            last = last.wrapping_add(v as i64);
            out.push(last);
            (v, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
    if shift != 0 {
        return Err(damaged());
    }
    Ok(())
}

/// Documents added since the last segment, with their trigrams.
#[derive(Default)]
pub struct Pending {
    /// (trigram, document) pairs.
    pairs: Vec<(i64, i64)>,
    /// The documents, in the order they were added.
    docs: Vec<i64>,
}

impl Pending {
    /// Note a stored document's trigrams.
    pub fn add(&mut self, doc: i64, keys: &[i64]) {
        self.pairs.extend(keys.iter().map(|&k| (k, doc)));
        self.docs.push(doc);
    }

    /// Whether `more` pairs would take it past [`MAX_PENDING_PAIRS`] (so
    /// it is written first, and its pairs never need a block larger than
    /// that bound).
    pub fn full_with(&self, more: usize) -> bool {
        !self.docs.is_empty() && self.pairs.len() + more > MAX_PENDING_PAIRS
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// Every document up to this id is in the index.
fn through(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .query_row("SELECT through FROM substr_state", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Write `pending` as a segment, move `through` past every document it
/// covers, merge when there are too many segments; one transaction.
/// `pending` is emptied only when that commits.
pub fn flush(conn: &Connection, pending: &mut Pending) -> Result<(), StoreError> {
    if pending.is_empty() {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    // By key alone (one integer compared: less than half the time of the
    // pairs'), then each key's documents, a short list, in order.
    pending.pairs.sort_unstable_by_key(|p| p.0);
    let seg = new_segment(&tx, 0)?;
    {
        let mut insert = tx.prepare_cached(INSERT_ROW)?;
        let mut docs = Vec::new();
        for run in pending.pairs.chunk_by(|a, b| a.0 == b.0) {
            docs.clear();
            docs.extend(run.iter().map(|p| p.1));
            docs.sort_unstable();
            docs.dedup();
            insert_rows(&mut insert, seg, run[0].0, &docs)?;
        }
    }
    // `through` moves over the documents that follow it and are all
    // covered now (another writer's documents in between stop it).
    let mut covered = pending.docs.clone();
    covered.sort_unstable();
    let mut at = through(&tx)?;
    {
        let mut next =
            tx.prepare_cached("SELECT id FROM documents WHERE id > ?1 ORDER BY id LIMIT ?2")?;
        'walk: loop {
            let ids: Vec<i64> = next
                .query_map(params![at, CATCH_UP_DOCS * 16], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            if ids.is_empty() {
                break;
            }
            for id in ids {
                if covered.binary_search(&id).is_err() {
                    break 'walk;
                }
                at = id;
            }
        }
    }
    tx.execute("UPDATE substr_state SET through = max(through, ?1)", [at])?;
    // Levels are few (each holds FANOUT times the one below), so this
    // loop is short.
    for level in 0.. {
        let full: Vec<i64> = tx
            .prepare_cached("SELECT seg FROM substr_segments WHERE level = ?1 ORDER BY seg")?
            .query_map([level], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if (full.len() as i64) < FANOUT {
            break;
        }
        merge(&tx, &full, level + 1)?;
    }
    tx.commit()?;
    // Kept allocated: the next segment fills the same block.
    pending.pairs.clear();
    pending.docs.clear();
    Ok(())
}

const INSERT_ROW: &str = "INSERT INTO substr_index (seg, key, part, docs) VALUES (?1, ?2, ?3, ?4)";

/// A new segment's number (after every other).
fn new_segment(conn: &Connection, level: i64) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO substr_segments (seg, level) \
         SELECT coalesce(max(seg), 0) + 1, ?1 FROM substr_segments",
        [level],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Merge segments `old` into one of `level`, reading each in key order a
/// few rows at a time (memory stays bounded whatever their size). The old
/// rows are deleted at the end; their pages go to the next segments
/// written. (Deleting rows as they are read, so the new segment takes
/// their pages, left a 1 GB store 9% smaller and took 10–20% longer.)
fn merge(conn: &Connection, old: &[i64], level: i64) -> Result<(), StoreError> {
    let seg = new_segment(conn, level)?;
    let mut read = conn.prepare_cached(
        "SELECT key, part, docs FROM substr_index WHERE seg = ?1 AND (key, part) > (?2, ?3) \
         ORDER BY key, part LIMIT ?4",
    )?;
    let mut insert = conn.prepare_cached(INSERT_ROW)?;
    // Per segment: its rows read and not merged yet (reversed, the next
    // last), the last (key, part) read, and whether it has more.
    struct Cursor {
        seg: i64,
        rows: Vec<(i64, Vec<u8>)>,
        after: (i64, i64),
        more: bool,
    }
    let fill = |read: &mut rusqlite::CachedStatement<'_>, c: &mut Cursor| {
        let mut rows: Vec<(i64, i64, Vec<u8>)> = read
            .query_map(params![c.seg, c.after.0, c.after.1, MERGE_ROWS], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        c.more = rows.len() as i64 == MERGE_ROWS;
        if let Some(last) = rows.last() {
            c.after = (last.0, last.1);
        }
        rows.reverse();
        c.rows = rows.into_iter().map(|(k, _, d)| (k, d)).collect();
        Ok::<_, StoreError>(())
    };
    let mut cursors: Vec<Cursor> = old
        .iter()
        .map(|&seg| Cursor {
            seg,
            rows: Vec::new(),
            after: (i64::MIN, i64::MIN),
            more: true,
        })
        .collect();
    let mut docs = Vec::new();
    loop {
        for c in cursors.iter_mut().filter(|c| c.rows.is_empty() && c.more) {
            fill(&mut read, c)?;
        }
        let Some(key) = cursors
            .iter()
            .filter_map(|c| c.rows.last().map(|r| r.0))
            .min()
        else {
            break;
        };
        docs.clear();
        for c in &mut cursors {
            // Every row of the key, reading on where a read ended among
            // them (a read holds at most MERGE_ROWS rows).
            loop {
                while c.rows.last().is_some_and(|r| r.0 == key)
                    && let Some((_, blob)) = c.rows.pop()
                {
                    decode(&blob, &mut docs)?;
                }
                if !(c.rows.is_empty() && c.more && c.after.0 == key) {
                    break;
                }
                fill(&mut read, c)?;
            }
        }
        docs.sort_unstable();
        docs.dedup();
        insert_rows(&mut insert, seg, key, &docs)?;
    }
    for &s in old {
        conn.execute("DELETE FROM substr_index WHERE seg = ?1", [s])?;
        conn.execute("DELETE FROM substr_segments WHERE seg = ?1", [s])?;
    }
    Ok(())
}

/// Index the documents past `through` (an ingest stopped before its last
/// flush, or a store the migration left to index).
pub fn catch_up(conn: &Connection, pending: &mut Pending) -> Result<(), StoreError> {
    let mut after = through(conn)?;
    let mut next = conn.prepare_cached(
        "SELECT id, gwr_text(text) FROM documents WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    loop {
        let docs: Vec<(i64, String)> = next
            .query_map(params![after, CATCH_UP_DOCS], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        let Some(&(last, _)) = docs.last() else {
            break;
        };
        for (id, text) in &docs {
            let keys = keys(text);
            if pending.full_with(keys.len()) {
                flush(conn, pending)?;
            }
            pending.add(*id, &keys);
        }
        after = last;
    }
    flush(conn, pending)
}

/// The documents that may hold every term (those holding all its
/// trigrams, and every document the index does not cover yet), ascending;
/// `None` when no term has three characters (any document may).
pub fn candidates(conn: &Connection, terms: &[String]) -> Result<Option<Vec<i64>>, StoreError> {
    let mut wanted: Vec<i64> = terms.iter().flat_map(|t| keys(t)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(None);
    }
    let segments: Vec<i64> = conn
        .prepare_cached("SELECT seg FROM substr_segments ORDER BY seg")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut rows =
        conn.prepare_cached("SELECT docs FROM substr_index WHERE seg = ?1 AND key = ?2")?;
    let mut found: Option<Vec<i64>> = None;
    let mut docs = Vec::new();
    for key in wanted {
        docs.clear();
        for seg in &segments {
            let mut blobs = rows.query(params![seg, key])?;
            while let Some(r) = blobs.next()? {
                let blob = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
                decode(blob, &mut docs)?;
            }
        }
        docs.sort_unstable();
        docs.dedup();
        let kept = match found.take() {
            None => docs.clone(),
            Some(prev) => prev
                .into_iter()
                .filter(|d| docs.binary_search(d).is_ok())
                .collect(),
        };
        let none = kept.is_empty();
        found = Some(kept);
        if none {
            break;
        }
    }
    let mut out = found.unwrap_or_default();
    let tail: Vec<i64> = conn
        .prepare_cached("SELECT id FROM documents WHERE id > ?1 ORDER BY id")?
        .query_map([through(conn)?], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    out.extend(tail);
    out.sort_unstable();
    out.dedup();
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(s: &str) -> i64 {
        let k = keys(s);
        assert_eq!(k.len(), 1, "{s}");
        k[0]
    }

    #[test]
    fn keys_are_the_trigrams_of_each_line() {
        assert!(keys("").is_empty());
        assert!(keys("数字").is_empty());
        assert_eq!(keys("数字经济").len(), 2);
        // A line break ends a run of characters; repeats count once.
        let mut want = vec![key("数字经"), key("济发展")];
        want.sort_unstable();
        assert_eq!(keys("数字经\n济发展\n数字经"), want);
        // ASCII letters fold; other characters keep their case.
        assert_eq!(key("GDP"), key("gdp"));
        assert_ne!(key("ＧＤＰ"), key("ｇｄｐ"));
    }

    #[test]
    fn damaged_rows_are_errors() {
        let mut out = Vec::new();
        assert!(decode(&[0x80], &mut out).is_err());
        assert!(decode(&[0xff; 11], &mut out).is_err());
        out.clear();
        assert!(decode(&[], &mut out).is_ok() && out.is_empty());
        // The Elias-Fano form: the tag alone; a count past its bits; a low
        // part too wide; a high part cut short.
        for bad in [
            &[ELIAS_FANO][..],
            &[ELIAS_FANO, 100, 1, 0, 0xff],
            &[ELIAS_FANO, 1, 1, 57, 0xff, 0xff],
            &[ELIAS_FANO, 3, 1, 0, 0b0000_0011],
        ] {
            assert!(decode(bad, &mut out).is_err(), "{bad:?}");
        }
    }

    /// A long list is split into rows of at most MAX_ROW_BYTES, in order;
    /// merged with more segments (reads of MERGE_ROWS ending among its
    /// rows), every document is there once.
    #[test]
    fn long_lists_take_several_rows_and_merge_whole() {
        let conn = db();
        let mut pending = Pending::default();
        let k = key("数字经");
        let mut want = Vec::new();
        for seg in 0..FANOUT {
            // Ids far apart, so that a row holds few of them.
            for i in 0..400 {
                let id = 1 + (seg * 400 + i) * 1_000_003;
                conn.execute("INSERT INTO documents VALUES (?1, '数字经')", [id])
                    .expect("insert");
                pending.add(id, &[k]);
                want.push(id);
            }
            flush(&conn, &mut pending).expect("flush");
        }
        let rows: Vec<(i64, i64, Vec<u8>)> = conn
            .prepare("SELECT seg, part, docs FROM substr_index ORDER BY seg, part")
            .expect("query")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert!(rows.iter().all(|r| r.2.len() <= MAX_ROW_BYTES));
        assert!(rows.len() > 8, "{}", rows.len());
        let segs: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(segs.len(), 1, "merged into one segment");
        let mut got = Vec::new();
        for r in &rows {
            decode(&r.2, &mut got).expect("decodes");
        }
        assert_eq!(got, want, "every document once, in order");
        assert_eq!(
            candidates(&conn, &terms(&["数字经"])).expect("reads"),
            Some(want)
        );
    }

    /// A dense list takes a few bits a document, a sparse one about its
    /// varints, and a list of one id stays a varint.
    #[test]
    fn rows_take_the_shorter_form() {
        let every: Vec<i64> = (1..=1000).collect();
        assert!(
            encode(&every).len() < 1000 / 4 + 8,
            "{}",
            encode(&every).len()
        );
        let half: Vec<i64> = (1..=1000).map(|i| 2 * i).collect();
        assert!(
            encode(&half).len() < 1000 * 3 / 8 + 8,
            "{}",
            encode(&half).len()
        );
        let sparse: Vec<i64> = (1..=100).map(|i| i * 100_000).collect();
        assert!(encode(&sparse).len() <= encode_varints(&sparse).len());
        assert_eq!(encode(&[5]), vec![5]);
        // Id 0 would start a row of varints with the tag: it is always in
        // the Elias-Fano form.
        assert_eq!(encode(&[0])[0], ELIAS_FANO);
        let mut out = Vec::new();
        decode(&encode(&[0]), &mut out).expect("decodes");
        assert_eq!(out, vec![0]);
    }

    /// Eight bytes are read as one number wherever they start, with zeros
    /// past the end.
    #[test]
    fn words_read_past_the_end_as_zeros() {
        let bytes: Vec<u8> = (1..=10).collect();
        assert_eq!(le_u64(&bytes, 0), 0x0807_0605_0403_0201);
        assert_eq!(le_u64(&bytes, 2), 0x0a09_0807_0605_0403);
        assert_eq!(le_u64(&bytes, 7), 0x000a_0908);
        assert_eq!(le_u64(&bytes, 10), 0);
        assert_eq!(le_u64(&bytes, 99), 0);
        assert_eq!(le_u64(&[], 0), 0);
    }

    /// Rows are read as they were written by every earlier version: the
    /// bytes of three lists in the Elias-Fano form, each low part in `low`
    /// bits, the first bit of a byte first.
    #[test]
    fn elias_fano_rows_keep_their_layout() {
        let sparse: Vec<i64> = vec![3, 5, 9, 100, 101, 1000, 1001, 5000];
        let dense: Vec<i64> = (0..40).map(|i| 7 + i * 3 + (i * i) % 5).collect();
        let wide: Vec<i64> = (0..20).map(|i| 1_000_000 + i * 977_123).collect();
        let rows: [(&[i64], &[u8]); 3] = [
            (
                &sparse,
                &[0, 8, 3, 9, 0, 4, 24, 8, 35, 166, 188, 249, 194, 223, 0, 1],
            ),
            (
                &dense,
                &[
                    0, 40, 7, 1, 248, 224, 131, 15, 62, 137, 150, 200, 18, 45, 145, 37, 90, 34, 75,
                    180, 68, 6,
                ],
            ),
            (
                &wide,
                &[
                    0, 20, 192, 132, 61, 19, 0, 0, 24, 71, 183, 113, 116, 83, 117, 201, 56, 186,
                    55, 70, 73, 213, 165, 198, 11, 24, 71, 223, 127, 177, 55, 70, 131, 3, 72, 170,
                    174, 195, 233, 168, 241, 162, 169, 244, 48, 142, 158, 184, 171, 253, 23, 179,
                    145, 6, 37, 73, 82, 146, 36, 37, 73,
                ],
            ),
        ];
        for (docs, row) in rows {
            assert_eq!(encode_elias_fano(docs), row);
            let mut out = Vec::new();
            decode(row, &mut out).expect("decodes");
            assert_eq!(out, docs);
        }
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().expect("db");
        crate::packed::register(&conn).expect("gwr_text");
        conn.execute_batch(
            "CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
             CREATE TABLE substr_segments (seg INTEGER PRIMARY KEY, level INTEGER NOT NULL);
             CREATE TABLE substr_index (seg INTEGER NOT NULL, key INTEGER NOT NULL,
                 part INTEGER NOT NULL, docs BLOB NOT NULL,
                 PRIMARY KEY (seg, key, part)) WITHOUT ROWID;
             CREATE TABLE substr_state (through INTEGER NOT NULL);
             INSERT INTO substr_state VALUES (0);",
        )
        .expect("schema");
        conn
    }

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    /// Documents flushed in several segments, merged past the limit, and
    /// some never flushed: candidates are the documents holding every
    /// trigram, plus those the index does not cover.
    #[test]
    fn candidates_hold_every_trigram_across_segments_and_merges() {
        let conn = db();
        let texts = [
            "深化最多跑一次改革",
            "发展数字经济",
            "数字经济和改革",
            "安置房建设",
        ];
        let mut pending = Pending::default();
        let mut id = 0i64;
        for round in 0..(FANOUT * FANOUT + 3) {
            for t in texts {
                id += 1;
                conn.execute("INSERT INTO documents VALUES (?1, ?2)", params![id, t])
                    .expect("insert");
                pending.add(id, &keys(t));
            }
            flush(&conn, &mut pending).expect("flush");
            let most: i64 = conn
                .query_row(
                    "SELECT coalesce(max(n), 0) FROM \
                     (SELECT COUNT(*) AS n FROM substr_segments GROUP BY level)",
                    [],
                    |r| r.get(0),
                )
                .expect("count");
            assert!(most < FANOUT, "round {round}: {most}");
        }
        let all = |t: &str| -> Vec<i64> {
            (1..=id)
                .filter(|i| texts[((i - 1) % 4) as usize].contains(t))
                .collect()
        };
        let got = |t: &[&str]| candidates(&conn, &terms(t)).expect("reads");
        assert_eq!(got(&["数字经济"]), Some(all("数字经济")));
        assert_eq!(got(&["一次改"]), Some(all("一次改")));
        // A term under three characters adds no trigram: the text decides.
        assert_eq!(got(&["数字经济", "改革"]), Some(all("数字经济")));
        assert_eq!(got(&["数字经济", "和改革"]), Some(all("数字经济和")));
        assert_eq!(got(&["没有的词"]), Some(vec![]));
        assert_eq!(got(&["改革"]), None);
        // A document stored but not flushed is a candidate of every search.
        conn.execute("INSERT INTO documents VALUES (?1, '别的')", [id + 1])
            .expect("insert");
        assert_eq!(got(&["没有的词"]), Some(vec![id + 1]));
        // catch_up indexes it.
        catch_up(&conn, &mut pending).expect("catch up");
        assert_eq!(got(&["没有的词"]), Some(vec![]));
        assert_eq!(through(&conn).expect("through"), id + 1);
    }

    /// A document of another writer between two of ours stops `through`
    /// before it, so it stays a candidate until it is indexed.
    #[test]
    fn through_stops_at_a_document_not_indexed() {
        let conn = db();
        let mut pending = Pending::default();
        for (id, t) in [(1, "数字经济"), (2, "别人的文档"), (3, "数字经济")] {
            conn.execute("INSERT INTO documents VALUES (?1, ?2)", params![id, t])
                .expect("insert");
            if id != 2 {
                pending.add(id, &keys(t));
            }
        }
        flush(&conn, &mut pending).expect("flush");
        assert_eq!(through(&conn).expect("through"), 1);
        assert_eq!(
            candidates(&conn, &terms(&["数字经济"])).expect("reads"),
            Some(vec![1, 2, 3])
        );
        catch_up(&conn, &mut pending).expect("catch up");
        assert_eq!(through(&conn).expect("through"), 3);
        assert_eq!(
            candidates(&conn, &terms(&["数字经济"])).expect("reads"),
            Some(vec![1, 3])
        );
    }

    proptest! {
        /// Document ids read back as they were written.
        #[test]
        fn postings_round_trip(
            mut ids in proptest::collection::vec(0i64..1 << 40, 0..50),
            dense in proptest::collection::vec(0i64..300, 0..300),
            base in prop_oneof![Just(0i64), 1i64..1000, (1i64 << 40)..(1i64 << 62)],
        ) {
            ids.sort_unstable();
            ids.dedup();
            let mut out = Vec::new();
            decode(&encode(&ids), &mut out).expect("decodes");
            prop_assert_eq!(&out, &ids);
            // Crowded lists, far from 0 or not, in both forms (varints only
            // from id 1: see `ELIAS_FANO`).
            let mut dense: Vec<i64> = dense.iter().map(|d| base + 1 + d).collect();
            dense.sort_unstable();
            dense.dedup();
            for blob in [encode(&dense), encode_varints(&dense)] {
                out.clear();
                decode(&blob, &mut out).expect("decodes");
                prop_assert_eq!(&out, &dense);
            }
            if !dense.is_empty() {
                out.clear();
                decode(&encode_elias_fano(&dense), &mut out).expect("decodes");
                prop_assert_eq!(&out, &dense);
            }
            // The sizes the encoder chooses by are the rows' lengths.
            for list in [&ids, &dense] {
                prop_assert_eq!(varints_len(list), encode_varints(list).len());
                prop_assert_eq!(form(list).1, encode(list).len());
                // The shorter form, as sizing both would choose it.
                if list.len() > 2 && list[0] >= 1 {
                    let (ef, varints) = (elias_fano_len(list), varints_len(list));
                    prop_assert_eq!(form(list), if ef < varints { (true, ef) } else { (false, varints) });
                }
                if !list.is_empty() {
                    prop_assert_eq!(elias_fano_len(list), encode_elias_fano(list).len());
                }
            }
        }

        /// A damaged row is an error or some ids, never a panic.
        #[test]
        fn any_row_decodes_or_fails(blob in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&blob, &mut Vec::new());
        }

        /// A segment's row for a trigram lists the documents holding it,
        /// ascending, whatever order the documents were added in.
        #[test]
        fn a_segment_lists_each_trigrams_documents_ascending(
            texts in proptest::collection::vec("[a-b数字经济\n]{0,12}", 1..12),
            order in proptest::collection::vec(0usize..1000, 12),
        ) {
            let conn = db();
            let mut ids: Vec<i64> = (1..=texts.len() as i64).collect();
            ids.sort_by_key(|&i| order[(i - 1) as usize]);
            let mut pending = Pending::default();
            let mut want: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
            for &id in &ids {
                let t = &texts[(id - 1) as usize];
                conn.execute("INSERT INTO documents VALUES (?1, ?2)", params![id, t])
                    .expect("insert");
                let k = keys(t);
                for &key in &k {
                    want.entry(key).or_default().push(id);
                }
                pending.add(id, &k);
            }
            for docs in want.values_mut() {
                docs.sort_unstable();
            }
            flush(&conn, &mut pending).expect("flush");
            let mut stmt = conn.prepare("SELECT key, docs FROM substr_index ORDER BY key").expect("query");
            let got: std::collections::BTreeMap<i64, Vec<i64>> = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
                .expect("rows")
                .map(|r| {
                    let (key, blob) = r.expect("row");
                    let mut docs = Vec::new();
                    decode(&blob, &mut docs).expect("decodes");
                    (key, docs)
                })
                .collect();
            prop_assert_eq!(got, want);
        }

        /// Every substring of three or more characters of a line has all
        /// its trigrams among the line's keys.
        #[test]
        fn substrings_have_their_trigrams(text in "[a-cA-C数字经济\n ]{0,40}", from in 0usize..40, len in 3usize..10) {
            let chars: Vec<char> = text.chars().collect();
            let to = (from + len).min(chars.len());
            if from < to {
                let sub: String = chars[from..to].iter().collect();
                if !sub.contains('\n') {
                    let all = keys(&text);
                    for k in keys(&sub) {
                        prop_assert!(all.binary_search(&k).is_ok());
                    }
                }
            }
        }
    }
}
