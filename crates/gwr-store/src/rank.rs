//! Ranking of word hits: `gwr_rank(passages_words, w_words, w_parts)`, an
//! FTS5 ranking function that computes exactly FTS5's own `bm25()` (same
//! formula, same inputs, same order of arithmetic, so the same score to the
//! last bit), but reads each passage's length in words from
//! `passage_lengths` instead of the index's per-row size record.
//!
//! Why: BM25 needs the length of every matching passage before the best
//! twenty are known. FTS5 looks each one up in its `docsize` table, one
//! B-tree descent per match; at 1 GB a common term such as 安置房 matches
//! 80,000 passages, and those lookups were two thirds of the search.
//! `passage_lengths` holds the same numbers as 2-byte cells, 8,192
//! passages to a row, so a query reads at most one row per 8,192 passages,
//! and a store kept open (the server, the Python package) keeps the rows it
//! has read.
//!
//! The table is written in the same transaction as the passages it
//! describes ([`refresh`]), from the index's own size records, so a length
//! it holds is always the index's. A cell that is 0 (no row yet) or
//! [`LONG`] (a passage of 65,535 words or more) sends the function to the
//! index, as `bm25()` would.
//!
//! A query of one phrase (one term: the most common search) is ranked by
//! `gwr_rank_tf(passages_words, w_words, w_parts)` instead. BM25 is then
//! the phrase's idf times a per-passage part, and the idf is the same for
//! every passage, so the order is the part's; the idf needs the number of
//! passages holding the phrase, which `bm25()` finds by running the phrase
//! a second time over the whole index (half of a common phrase's search).
//! `gwr_rank_tf` returns the negated part and tallies the passages it ranks
//! ([`Lengths::tally`]); every match is ranked before the first row comes
//! out, so the tally is that number, and [`score`] makes bm25's score of it
//! (the same product, so the same bits).

use rusqlite::ffi;
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// Passages (row ids) per row of `passage_lengths`.
pub const CHUNK: i64 = 8192;
/// A cell for a passage too long for two bytes: its length is read from the
/// index.
pub const LONG: u16 = u16::MAX;
/// Most rows of `passage_lengths` a store keeps in memory (64 MB, for 134
/// million passages); past it the kept rows are dropped and read again.
const MAX_KEPT: usize = 4096;

/// The rows of `passage_lengths` a connection has read, shared by every
/// query on it. Rows are only ever appended to, so a kept row goes stale
/// only where it had empty cells; [`Lengths::clear`] drops them all when
/// the database has changed.
#[derive(Default)]
pub struct Lengths {
    rows: Mutex<HashMap<i64, Arc<[u16]>>>,
    /// The index's row count, as `gwr_rank_tf` last read it.
    index_rows: AtomicI64,
    /// The passages `gwr_rank_tf` ranked since [`Lengths::start_tally`].
    ranked: AtomicI64,
}

/// What `gwr_rank_tf` counted in a statement: the index's rows and the
/// passages it ranked (those holding the phrase).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub index_rows: i64,
    pub matches: i64,
}

impl Lengths {
    /// Zero the tally before a statement that runs `gwr_rank_tf`.
    pub fn start_tally(&self) {
        self.index_rows.store(0, Ordering::Relaxed);
        self.ranked.store(0, Ordering::Relaxed);
    }

    /// The tally since [`Lengths::start_tally`] (complete once the
    /// statement has given its first row, since it sorts by the rank).
    pub fn tally(&self) -> Tally {
        Tally {
            index_rows: self.index_rows.load(Ordering::Relaxed),
            matches: self.ranked.load(Ordering::Relaxed),
        }
    }

    /// Forget every kept row.
    pub fn clear(&self) {
        if let Ok(mut rows) = self.rows.lock() {
            rows.clear();
        }
    }

    /// The row `chunk`, kept or read through `db`.
    ///
    /// # Safety
    /// `db` is the open connection whose statement is running the caller.
    unsafe fn row(&self, db: *mut ffi::sqlite3, chunk: i64) -> Option<Arc<[u16]>> {
        if let Some(r) = self.rows.lock().ok()?.get(&chunk) {
            return Some(r.clone());
        }
        // SAFETY: the caller's contract.
        let row: Arc<[u16]> = unsafe { read_row(db, chunk) }?.into();
        let mut rows = self.rows.lock().ok()?;
        if rows.len() >= MAX_KEPT {
            rows.clear();
        }
        rows.insert(chunk, row.clone());
        Some(row)
    }
}

/// One row of `passage_lengths`, read with the raw API (the ranking
/// function runs inside a statement of the connection).
///
/// # Safety
/// `db` is an open connection, used by this thread.
unsafe fn read_row(db: *mut ffi::sqlite3, chunk: i64) -> Option<Vec<u16>> {
    let sql = c"SELECT lens FROM passage_lengths WHERE chunk = ?1";
    let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: db is open (the caller's contract); stmt is finalized below
    // on every path that prepared it.
    unsafe {
        if ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut())
            != ffi::SQLITE_OK
            || stmt.is_null()
        {
            return None;
        }
        let mut out = None;
        if ffi::sqlite3_bind_int64(stmt, 1, chunk) == ffi::SQLITE_OK
            && ffi::sqlite3_step(stmt) == ffi::SQLITE_ROW
        {
            let p = ffi::sqlite3_column_blob(stmt, 0) as *const u8;
            let n = ffi::sqlite3_column_bytes(stmt, 0);
            if !p.is_null() && n > 0 {
                let bytes = std::slice::from_raw_parts(p, n as usize);
                out = Some(decode(bytes));
            }
        }
        ffi::sqlite3_finalize(stmt);
        out
    }
}

/// Cells from their little-endian bytes.
fn decode(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The cells' bytes, little-endian.
fn encode(cells: &[u16]) -> Vec<u8> {
    cells.iter().flat_map(|c| c.to_le_bytes()).collect()
}

/// The sum of the varints of an FTS5 size record (one per column), or
/// `None` for a malformed one.
fn size_record_total(mut rec: &[u8]) -> Option<u64> {
    let mut total = 0u64;
    while !rec.is_empty() {
        let (v, used) = varint(rec)?;
        total = total.saturating_add(v);
        rec = rec.get(used..)?;
    }
    Some(total)
}

/// An SQLite varint: big-endian groups of 7 bits, the high bit saying
/// another byte follows; a ninth byte gives all its 8 bits.
fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, &byte) in b.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((v << 8) | u64::from(byte), 9));
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Rewrite the rows of `passage_lengths` that hold passages from row id
/// `from` on, from the word index's size records. Run inside the
/// transaction that added those passages.
pub fn refresh(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    let max: i64 = conn.query_row(
        "SELECT coalesce(max(id), 0) FROM passages_words_docsize",
        [],
        |r| r.get(0),
    )?;
    let first = from.max(0) / CHUNK;
    let mut read = conn
        .prepare_cached("SELECT id, sz FROM passages_words_docsize WHERE id >= ?1 AND id < ?2")?;
    let mut write = conn
        .prepare_cached("INSERT OR REPLACE INTO passage_lengths (chunk, lens) VALUES (?1, ?2)")?;
    for chunk in first..=max / CHUNK {
        let lo = chunk * CHUNK;
        let mut cells = vec![0u16; CHUNK as usize];
        let mut last = 0usize;
        let mut rows = read.query(params![lo, lo + CHUNK])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let sz: Vec<u8> = r.get(1)?;
            let Ok(at) = usize::try_from(id - lo) else {
                continue;
            };
            let Some(cell) = cells.get_mut(at) else {
                continue;
            };
            *cell = match size_record_total(&sz) {
                Some(n) if n < u64::from(LONG) => n as u16,
                Some(_) => LONG,
                None => 0,
            };
            last = last.max(at + 1);
        }
        if last > 0 {
            write.execute(params![chunk, encode(&cells[..last])])?;
        }
    }
    Ok(())
}

/// Register `gwr_rank` on a connection, sharing `lengths` between its
/// queries.
pub fn register(conn: &Connection, lengths: Arc<Lengths>) -> rusqlite::Result<()> {
    // SAFETY: the handle is the open connection's; the fts5_api pointer is
    // only used while the connection is open, and the user data is freed by
    // FTS5 through `destroy` when the function is dropped or the connection
    // closes.
    unsafe {
        let db = conn.handle();
        let api = fts5_api(db).ok_or_else(|| {
            rusqlite::Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_ERROR),
                Some("FTS5 is not available".into()),
            )
        })?;
        let create = (*api).xCreateFunction.ok_or_else(|| {
            rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_ERROR), None)
        })?;
        let functions: [(&std::ffi::CStr, Fts5Function); 2] =
            [(c"gwr_rank", rank::<true>), (c"gwr_rank_tf", rank::<false>)];
        for (name, f) in functions {
            let user = Arc::into_raw(lengths.clone()) as *mut c_void;
            let rc = create(api, name.as_ptr(), user, Some(f), Some(destroy));
            if rc != ffi::SQLITE_OK {
                drop(Arc::from_raw(user as *const Lengths));
                return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None));
            }
        }
    }
    Ok(())
}

/// An FTS5 auxiliary function, as `xCreateFunction` takes it.
type Fts5Function = unsafe extern "C" fn(
    *const ffi::Fts5ExtensionApi,
    *mut ffi::Fts5Context,
    *mut ffi::sqlite3_context,
    c_int,
    *mut *mut ffi::sqlite3_value,
);

/// The connection's FTS5 API (`SELECT fts5(?1)` with a pointer binding, as
/// the FTS5 documentation gives it).
///
/// # Safety
/// `db` is an open connection.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> Option<*mut ffi::fts5_api> {
    let mut api: *mut ffi::fts5_api = std::ptr::null_mut();
    let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: db is open; the bound pointer outlives the statement, which
    // is finalized before returning.
    unsafe {
        if ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut stmt,
            std::ptr::null_mut(),
        ) != ffi::SQLITE_OK
        {
            return None;
        }
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&mut api as *mut *mut ffi::fts5_api).cast(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
    }
    (!api.is_null()).then_some(api)
}

unsafe extern "C" fn destroy(user: *mut c_void) {
    if !user.is_null() {
        // SAFETY: `user` came from Arc::into_raw in `register`.
        drop(unsafe { Arc::from_raw(user as *const Lengths) });
    }
}

/// What a query's ranking computes once: as `fts5Bm25GetData`.
struct QueryData {
    /// Per phrase; empty for `gwr_rank_tf`, which leaves the idf out.
    idf: Vec<f64>,
    n_row: i64,
    avgdl: f64,
    /// The row `gwr_rank_tf` tallied last (so a row ranked twice counts once).
    tallied: Option<i64>,
    freq: Vec<f64>,
    /// The `passage_lengths` row read last (matches come in row id order).
    row: Option<(i64, Arc<[u16]>)>,
}

unsafe extern "C" fn drop_query_data(p: *mut c_void) {
    if !p.is_null() {
        // SAFETY: `p` came from Box::into_raw in `query_data`.
        drop(unsafe { Box::from_raw(p as *mut QueryData) });
    }
}

unsafe extern "C" fn count_hit(
    _api: *const ffi::Fts5ExtensionApi,
    _fts: *mut ffi::Fts5Context,
    user: *mut c_void,
) -> c_int {
    // SAFETY: `user` is the i64 counter passed by `query_data`.
    unsafe { *(user as *mut i64) += 1 };
    ffi::SQLITE_OK
}

/// The query's data, computed on its first row.
///
/// # Safety
/// `api` and `fts` are FTS5's arguments to the ranking function.
unsafe fn query_data(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    with_idf: bool,
) -> Result<*mut QueryData, c_int> {
    let missing = ffi::SQLITE_MISUSE;
    // SAFETY: FTS5's own API, called as fts5Bm25GetData calls it.
    unsafe {
        let get = api.xGetAuxdata.ok_or(missing)?;
        let p = get(fts, 0) as *mut QueryData;
        if !p.is_null() {
            return Ok(p);
        }
        let n_phrase = api.xPhraseCount.ok_or(missing)?(fts).max(0) as usize;
        let mut n_row: i64 = 0;
        let mut n_token: i64 = 0;
        check(api.xRowCount.ok_or(missing)?(fts, &mut n_row))?;
        check(api.xColumnTotalSize.ok_or(missing)?(fts, -1, &mut n_token))?;
        let avgdl = n_token as f64 / n_row as f64;
        let mut idf = Vec::with_capacity(n_phrase);
        let query_phrase = api.xQueryPhrase.ok_or(missing)?;
        // gwr_rank_tf leaves the idf out: no phrase is run here.
        if with_idf {
            for i in 0..n_phrase {
                let mut n_hit: i64 = 0;
                check(query_phrase(
                    fts,
                    i as c_int,
                    (&mut n_hit as *mut i64).cast(),
                    Some(count_hit),
                ))?;
                idf.push(idf_of(n_row, n_hit));
            }
        }
        let data = Box::into_raw(Box::new(QueryData {
            idf,
            n_row,
            avgdl,
            tallied: None,
            freq: vec![0.0; n_phrase],
            row: None,
        }));
        let rc = api.xSetAuxdata.ok_or(missing)?(fts, data.cast(), Some(drop_query_data));
        if rc != ffi::SQLITE_OK {
            // xSetAuxdata calls the destructor itself when it fails.
            return Err(rc);
        }
        Ok(data)
    }
}

fn check(rc: c_int) -> Result<(), c_int> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// BM25's idf of a phrase held by `n_hit` of `n_row` rows, as
/// `fts5Bm25GetData` computes it.
pub fn idf_of(n_row: i64, n_hit: i64) -> f64 {
    let v = ((n_row - n_hit) as f64 + 0.5) / (n_hit as f64 + 0.5);
    let v = v.ln();
    if v <= 0.0 { 1e-6 } else { v }
}

/// The score `gwr_rank` gives a passage of a one-phrase query, from the
/// value `gwr_rank_tf` gave it and the tally of its statement: bm25's
/// `-(idf * part)`, the same product to the last bit.
pub fn score(tf: f64, tally: Tally) -> f64 {
    idf_of(tally.index_rows, tally.matches) * tf
}

/// BM25's part of one phrase in one row: `f` its weighted frequency, `d`
/// the row's length.
fn part(f: f64, d: f64, avgdl: f64) -> f64 {
    (f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / avgdl))
}

/// `gwr_rank` (`IDF`: bm25's score) and `gwr_rank_tf` (its part without
/// the idf, counted).
unsafe extern "C" fn rank<const IDF: bool>(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    vals: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes its API, context and arguments.
    let score = std::panic::catch_unwind(|| unsafe { bm25(api, fts, ctx, n_val, vals, IDF) });
    // SAFETY: ctx is the running function's context.
    unsafe { give(ctx, score) }
}

/// Set the function's result.
///
/// # Safety
/// `ctx` is the running function's context.
unsafe fn give(ctx: *mut ffi::sqlite3_context, score: std::thread::Result<Result<f64, c_int>>) {
    // SAFETY: the caller's contract.
    unsafe {
        match score {
            Ok(Ok(s)) => ffi::sqlite3_result_double(ctx, s),
            Ok(Err(rc)) => ffi::sqlite3_result_error_code(ctx, rc),
            Err(_) => ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_INTERNAL),
        }
    }
}

/// The row's score, as `fts5Bm25Function` computes it (`with_idf`), or for
/// a one-phrase query the negated part without the idf, tallied.
///
/// # Safety
/// FTS5's arguments to the ranking function.
unsafe fn bm25(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    vals: *mut *mut ffi::sqlite3_value,
    with_idf: bool,
) -> Result<f64, c_int> {
    let missing = ffi::SQLITE_MISUSE;
    // SAFETY: the pointers are FTS5's, valid for this call; QueryData is
    // owned by FTS5's aux-data slot for the query and only used here.
    unsafe {
        let api = api.as_ref().ok_or(missing)?;
        let data = &mut *query_data(api, fts, with_idf)?;
        if !with_idf && data.freq.len() != 1 {
            // gwr_rank_tf ranks one-phrase queries only.
            return Err(missing);
        }
        data.freq.iter_mut().for_each(|f| *f = 0.0);
        let mut n_inst: c_int = 0;
        check(api.xInstCount.ok_or(missing)?(fts, &mut n_inst))?;
        let inst = api.xInst.ok_or(missing)?;
        for i in 0..n_inst {
            let (mut ip, mut ic, mut io) = (0, 0, 0);
            check(inst(fts, i, &mut ip, &mut ic, &mut io))?;
            let w = if n_val > ic && ic >= 0 {
                ffi::sqlite3_value_double(*vals.add(ic as usize))
            } else {
                1.0
            };
            if let Some(f) = data.freq.get_mut(ip.max(0) as usize) {
                *f += w;
            }
        }
        let rowid = api.xRowid.ok_or(missing)?(fts);
        let d = match cell(api, fts, ctx, data, rowid) {
            Some(n) => f64::from(n),
            None => {
                let mut n_tok: c_int = 0;
                check(api.xColumnSize.ok_or(missing)?(fts, -1, &mut n_tok))?;
                f64::from(n_tok)
            }
        };
        if !with_idf {
            if data.tallied != Some(rowid) {
                data.tallied = Some(rowid);
                let lengths = (api.xUserData.ok_or(missing)?(fts) as *const Lengths)
                    .as_ref()
                    .ok_or(missing)?;
                lengths.index_rows.store(data.n_row, Ordering::Relaxed);
                lengths.ranked.fetch_add(1, Ordering::Relaxed);
            }
            return Ok(-part(data.freq[0], d, data.avgdl));
        }
        let mut score = 0.0;
        for (idf, f) in data.idf.iter().zip(&data.freq) {
            score += idf * part(*f, d, data.avgdl);
        }
        Ok(-score)
    }
}

/// The passage's length from `passage_lengths`, or `None` when the table
/// does not have it.
///
/// # Safety
/// FTS5's arguments to the ranking function.
unsafe fn cell(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    data: &mut QueryData,
    rowid: i64,
) -> Option<u16> {
    if rowid < 0 {
        return None;
    }
    let chunk = rowid / CHUNK;
    let at = (rowid % CHUNK) as usize;
    if data.row.as_ref().is_none_or(|(c, _)| *c != chunk) {
        // SAFETY: xUserData is the Arc<Lengths> given to xCreateFunction,
        // alive while the function is registered; the db handle is the
        // connection running this statement.
        let row = unsafe {
            let lengths = (api.xUserData?(fts) as *const Lengths).as_ref()?;
            lengths.row(ffi::sqlite3_context_db_handle(ctx), chunk)
        };
        data.row = Some((chunk, row.unwrap_or_else(|| Arc::from(Vec::new()))));
    }
    let (_, row) = data.row.as_ref()?;
    match row.get(at).copied() {
        Some(n) if n != 0 && n != LONG => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_as_sqlite_writes_them() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x81, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0xff, 0x7f]), Some((16383, 2)));
        assert_eq!(varint(&[0x81]), None);
        assert_eq!(varint(&[0xff; 9]), Some((u64::MAX, 9)));
        assert_eq!(size_record_total(&[0x03, 0x81, 0x00]), Some(131));
        assert_eq!(size_record_total(&[]), Some(0));
    }

    #[test]
    fn cells_round_trip() {
        let cells = [0u16, 1, 300, LONG];
        assert_eq!(decode(&encode(&cells)), cells);
        assert_eq!(decode(&[1, 0, 7]), [1]);
    }

    /// A table of passages whose lengths vary, with and without
    /// `passage_lengths`: gwr_rank gives bm25's scores, bit for bit.
    #[test]
    fn ranks_equal_bm25() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE VIRTUAL TABLE passages_words USING fts5(words, parts, content='', \
             contentless_delete=1, tokenize='unicode61');
             CREATE TABLE passage_lengths (chunk INTEGER PRIMARY KEY, lens BLOB NOT NULL);",
        )
        .expect("schema");
        let lengths = Arc::new(Lengths::default());
        register(&conn, lengths.clone()).expect("register");
        let words = [
            "数字经济",
            "营商环境",
            "乡村振兴",
            "安置房",
            "推进",
            "建设",
            "改革",
        ];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        // Row ids across three rows of the table, with gaps.
        let mut id = 1i64;
        for _ in 0..400 {
            let n = 1 + next() % 40;
            let text: Vec<&str> = (0..n).map(|_| words[next() % words.len()]).collect();
            let parts = if next() % 3 == 0 { "经济" } else { "" };
            conn.execute(
                "INSERT INTO passages_words (rowid, words, parts) VALUES (?1, ?2, ?3)",
                params![id, text.join(" "), parts],
            )
            .expect("insert");
            id += 1 + (next() % 60) as i64;
        }
        let compare = |conn: &Connection, equal: bool| {
            let mut differ = 0;
            for q in [
                "数字经济",
                "安置房 推进",
                "\"推进 改革\"",
                "{words parts} : 经济",
            ] {
                let mut stmt = conn
                    .prepare(
                        "SELECT rowid, bm25(passages_words, 1.0, 0.5), \
                         gwr_rank(passages_words, 1.0, 0.5) FROM passages_words \
                         WHERE passages_words MATCH ?1",
                    )
                    .expect("prepare");
                let rows: Vec<(i64, f64, f64)> = stmt
                    .query_map([q], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("rows");
                assert!(!rows.is_empty(), "{q}");
                for (id, a, b) in rows {
                    if equal {
                        assert_eq!(a.to_bits(), b.to_bits(), "{q}: row {id}");
                    }
                    differ += usize::from(a != b);
                }
            }
            assert_eq!(differ == 0, equal);
            // One phrase: the part and the tally make bm25's score.
            for q in ["数字经济", "\"推进 改革\"", "{words parts} : 经济"] {
                let bm25: Vec<(i64, f64)> = conn
                    .prepare(
                        "SELECT rowid, bm25(passages_words, 1.0, 0.5) FROM passages_words \
                         WHERE passages_words MATCH ?1 ORDER BY 2, rowid",
                    )
                    .expect("prepare")
                    .query_map([q], |r| Ok((r.get(0)?, r.get(1)?)))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("rows");
                lengths.start_tally();
                let tf: Vec<(i64, f64)> = conn
                    .prepare(
                        "SELECT rowid, gwr_rank_tf(passages_words, 1.0, 0.5) FROM passages_words \
                         WHERE passages_words MATCH ?1 ORDER BY 2, rowid LIMIT 5",
                    )
                    .expect("prepare")
                    .query_map([q], |r| Ok((r.get(0)?, r.get(1)?)))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("rows");
                let tally = lengths.tally();
                assert_eq!(tally.matches, bm25.len() as i64, "{q}");
                assert_eq!(tf.len(), 5.min(bm25.len()), "{q}");
                for ((id, t), (bid, b)) in tf.iter().zip(&bm25) {
                    if equal {
                        assert_eq!(id, bid, "{q}");
                        let s = score(*t, tally);
                        assert_eq!(s.to_bits(), b.to_bits(), "{q}: row {id}");
                    }
                }
            }
        };
        compare(&conn, true);
        // gwr_rank_tf ranks one phrase only.
        assert!(
            conn.prepare(
                "SELECT gwr_rank_tf(passages_words) FROM passages_words \
                 WHERE passages_words MATCH '安置房 推进'",
            )
            .expect("prepare")
            .query_map([], |r| r.get::<_, f64>(0))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .is_err()
        );
        refresh(&conn, 0).expect("refresh");
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM passage_lengths", [], |r| r.get(0))
            .expect("count");
        assert!(kept >= 2);
        compare(&conn, true);
        // The cells are what the ranking reads: wrong ones give other scores.
        let wrong = encode(&vec![1u16; CHUNK as usize]);
        conn.execute("UPDATE passage_lengths SET lens = ?1", [&wrong])
            .expect("update");
        lengths.clear();
        compare(&conn, false);
        refresh(&conn, 0).expect("refresh");
        lengths.clear();
        compare(&conn, true);
    }
}
