//! The corpus store: an embedded SQLite database (`DIR/gwr.sqlite`) with the
//! tables `files`, `documents`, `sections`, `facts`, `targets`,
//! `commitments`, `terms` and `errors` (schema in `schema.sql`).
//!
//! Each file is written in one transaction keyed by the SHA-256 of its bytes,
//! so re-ingesting changes nothing, an interrupted ingest leaves only whole
//! files behind, and the next run adds what is missing. The database runs in
//! WAL mode, so readers can query while an ingest writes.
//!
//! Only [`Store::open`] (ingest) creates, migrates or writes; the read
//! commands use [`Store::open_read_only`], which opens the file read-only
//! and refuses a database that is not a gwr store, an older store (ingest
//! migrates it, after a backup copy) and a damaged one. Queries can be
//! given a time limit ([`Store::within`]).

pub mod analyses;
pub mod export;
mod labels;
pub mod rank;
pub mod read;
pub mod rows;
pub mod search;
pub mod segment;
pub mod spans;
pub mod substr;
mod tokens;
mod words;

pub use read::{DocQuery, RowQuery};
pub use rows::FileRows;
pub use search::{Hit, SearchFilter};
pub use segment::Segmenter;

pub mod frames;
pub mod packed;

use gwr_engine::ParsedFile;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_V2: &str = include_str!("schema_v2.sql");
const SCHEMA_V3: &str = include_str!("schema_v3.sql");
const SCHEMA_V4: &str = include_str!("schema_v4.sql");
const SCHEMA_V5: &str = include_str!("schema_v5.sql");
const SCHEMA_V6: &str = include_str!("schema_v6.sql");
const SCHEMA_V7: &str = include_str!("schema_v7.sql");
const SCHEMA_V8: &str = include_str!("schema_v8.sql");
const SCHEMA_V9: &str = include_str!("schema_v9.sql");
const SCHEMA_V10: &str = include_str!("schema_v10.sql");
const SCHEMA_V11: &str = include_str!("schema_v11.sql");
const SCHEMA_V12: &str = include_str!("schema_v12.sql");
const SCHEMA_V13: &str = include_str!("schema_v13.sql");
const SCHEMA_V14: &str = include_str!("schema_v14.sql");
/// Version 11's second step, on a facts table (version 14 makes `facts` a
/// view, and its index is then on `fact_rows`): the metric index holds only
/// the facts that have a metric id (one in eight on the benchmark corpus);
/// a query that names one (metric_id = …, metric_id IN (…)) implies the
/// index's condition and still uses it.
const V11_METRIC_INDEX: &str = "DROP INDEX IF EXISTS facts_metric; \
     CREATE INDEX facts_metric ON facts(metric_id, year) WHERE metric_id IS NOT NULL;";
/// Prepared statements a connection keeps (`Store::wrap`).
const STATEMENT_CACHE: usize = 64;
/// Free pages a store keeps for later writes (16 MB of 4 KB pages).
const FREE_PAGES_KEPT: i64 = 4096;
/// Segments of one level of the word index that FTS5 merges into one of
/// the next while an ingest writes (its `automerge`; FTS5's default is 4).
/// Each commit writes a segment, so merging four at a time rewrote a
/// passage's entry at every level (about four times in a 1 GB ingest);
/// sixteen at a time rewrites it about twice, and [`Store::finish`] leaves
/// the index as few segments as before (`settle_word_index`).
const WORD_INDEX_AUTOMERGE: i64 = 16;
/// Pages the word index's `merge` may write after an ingest too small to
/// rewrite the whole index for (8 MB of 4 KB pages).
const WORD_INDEX_MERGE_PAGES: i64 = 2048;
/// The passages of version 6: spans of their document's text, cut out
/// (version 9 cuts them with `gwr_text`: schema_v9.sql).
const PASSAGES_VIEW: &str = "CREATE VIEW passages (id, document_id, section, role, text) AS \
     SELECT s.id, s.document_id, s.section, s.role, substr(d.text, s.start + 1, s.chars) \
     FROM passage_spans s JOIN documents d ON d.id = s.document_id";
/// The facts columns stored as codes, each into its table `labels_<column>`
/// (schema_v14.sql).
pub(crate) const LABELLED: [&str; 9] = [
    "metric",
    "kind",
    "unit",
    "base_unit",
    "qualifier",
    "change_type",
    "change_qualifier",
    "section",
    "role",
];
/// Columns version 5 adds: table, column, type.
const V5_COLUMNS: &[(&str, &str, &str)] = &[
    ("facts", "text_start", "INTEGER"),
    ("facts", "text_end", "INTEGER"),
    ("targets", "kind", "TEXT"),
    ("targets", "lo", "REAL"),
    ("targets", "hi", "REAL"),
    ("targets", "stretch", "REAL"),
    ("targets", "section", "TEXT"),
];
/// Schema version; `migrate` brings older stores up to it.
pub const SCHEMA_VERSION: i64 = 14;

/// The quick integrity check on open reads every page: it runs on stores
/// up to this size (a fraction of a second), and gives up after
/// [`QUICK_CHECK_TIME`] on a slow disk, rather than delay every command.
/// Larger stores are checked in full by `gwr check`.
pub const QUICK_CHECK_MAX_BYTES: u64 = 256 << 20;
const QUICK_CHECK_TIME: Duration = Duration::from_secs(3);
/// How much of the file a read-only store maps into memory (SQLite caps it
/// at about 2 GB). A search reads many scattered pages of the word index;
/// mapped, each is read in place rather than copied into SQLite's page
/// cache, which made searches at 1 GB about 5% faster at the median and 9%
/// at p99 (`search-bench`, three rounds alternating with and without). The
/// pages are the file system's, shared and dropped under memory pressure,
/// but they count in the process's resident size once touched. The cost:
/// a read error of a mapped page (a failing disk, or the file cut short by
/// another program while it is open) is a signal that ends the process,
/// where SQLite would have returned an error. The writer does not map the
/// file: there it saved 4% of an ingest's time and added 110 MB at 100 MB
/// to its resident size, which would grow with the store.
const READ_MMAP_BYTES: i64 = 1 << 31;
/// Beside the store: the length and modification time of its files when
/// the quick check last passed ([`Store::quick_check`]).
const CHECKED_FILE: &str = "gwr.sqlite.checked";

/// Write `text` to `path` through a temporary file renamed over it, so a
/// reader sees the old text or the new, never a part.
fn write_replacing(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The quick check's record, if there is one: its first
/// [`RECORD_MAX_BYTES`] bytes, so a file put there by mistake is not read
/// whole on every open (a longer one never matches, and is replaced when
/// the check passes).
fn read_record(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(RECORD_MAX_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}
/// Longest quick-check record read (a real one is under 100 bytes).
const RECORD_MAX_BYTES: u64 = 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("store: {0}")]
    Io(#[from] std::io::Error),
    #[error("store: {0}")]
    Other(String),
    /// A query ran past its time limit (in seconds).
    #[error("query stopped after {0} s (its time limit)")]
    TimedOut(u64),
    /// SQLite's integrity check failed.
    #[error(
        "the store is damaged ({0}); nothing was read or written (restore a backup, or ingest into a new directory)"
    )]
    Damaged(String),
    /// The file is an SQLite database, but not a gwr store.
    #[error("gwr.sqlite here is not a gwr store ({0}); refusing to touch it")]
    Foreign(String),
}

/// The deadline the progress handler enforces, shared with the connection.
#[derive(Default)]
struct Limit {
    deadline: Mutex<Option<Instant>>,
    fired: AtomicBool,
}

/// An open store.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    segmenter: std::cell::OnceCell<Arc<Segmenter>>,
    limit: Arc<Limit>,
    checked: bool,
    /// The rows of `passage_lengths` this connection has read (rank.rs).
    lengths: Arc<rank::Lengths>,
    /// `PRAGMA data_version` when `lengths` was last checked.
    data_version: std::cell::Cell<i64>,
    /// Whether `gwr_rank` is registered on the connection (on the first
    /// search, once the file is known to be a gwr store).
    ranking: std::cell::Cell<bool>,
    /// Documents stored since the substring index's last segment.
    pending: substr::Pending,
    /// The first passage this connection stored (for `settle_word_index`).
    first_added: Option<i64>,
    /// The codes of facts' labels this connection has read or written.
    labels: labels::Labels,
}

impl Drop for Store {
    /// The substring index's last segment, if an ingest did not call
    /// [`Store::finish`] (a document left out is indexed by the next
    /// ingest, and found by search meanwhile).
    fn drop(&mut self) {
        let _ = substr::flush(&self.conn, &mut self.pending);
    }
}

/// SHA-256 of a file's bytes, as hex.
pub fn content_hash(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    secs.to_string()
}

impl Store {
    /// Open (creating, or migrating after a backup copy to
    /// `gwr.sqlite.bak`, if needed) the store in `dir` for writing. A
    /// database that is not a gwr store, or is damaged, is refused.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("gwr.sqlite");
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(30))?;
        let mut store = Store::wrap(conn, dir)?;
        let version = store.identify()?;
        store.quick_check()?;
        if version > 0 && version < SCHEMA_VERSION {
            store.backup()?;
        }
        if version == 0 {
            // Set before the first table: pages a merge of the substring
            // index frees can then go back to the file system (`finish`).
            store
                .conn
                .pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        }
        store.conn.pragma_update(None, "journal_mode", "WAL")?;
        store.conn.pragma_update(None, "synchronous", "NORMAL")?;
        store.conn.pragma_update(None, "foreign_keys", "ON")?;
        store.conn.pragma_update(None, "cache_size", -65536)?;
        store.migrate()?;
        store.set_word_index_automerge()?;
        substr::catch_up(&store.conn, &mut store.pending)?;
        if version > 0 && version < 13 {
            // Packing the text (version 9) leaves about half the store's
            // text pages free, and the FTS5 trigram index it drops all of
            // its own; targets referring to their facts (12) and glossary
            // definitions as spans (13) leave their rows' pages part
            // empty: give them back to the file system. The rewrite also
            // turns on incremental auto-vacuum, as in a new store.
            store
                .conn
                .pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
            store.conn.execute_batch("VACUUM")?;
        } else if version > 0 && version < SCHEMA_VERSION {
            // Facts with coded labels (14) take two thirds of the pages
            // of the table they replace, which are now free.
            store.give_back_free_pages()?;
        }
        Ok(store)
    }

    /// A store in memory, gone when dropped: a file read for a look
    /// (`gwr serve`'s "open a file") goes through the same rows and reads
    /// as a stored one.
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        let store = Store::wrap(conn, Path::new(""))?;
        store.migrate()?;
        Ok(store)
    }

    /// Open an existing store read-only (for queries, also while an ingest
    /// runs). Nothing is created, migrated or written: a missing store, a
    /// database that is not a gwr store, an older store (run `gwr ingest`
    /// to migrate it) and a damaged one are errors.
    pub fn open_read_only(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join("gwr.sqlite");
        if !path.is_file() {
            return Err(StoreError::Other(
                "no store here (run gwr ingest first)".into(),
            ));
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.pragma_update(None, "mmap_size", READ_MMAP_BYTES)?;
        let mut store = Store::wrap(conn, dir)?;
        let version = store.identify()?;
        if version == 0 {
            return Err(StoreError::Foreign("an empty database".into()));
        }
        if version < SCHEMA_VERSION {
            return Err(StoreError::Other(format!(
                "schema {version} is older than this gwr's ({SCHEMA_VERSION}): run gwr ingest on this store once to migrate it (a copy is kept as gwr.sqlite.bak)"
            )));
        }
        store.quick_check()?;
        Ok(store)
    }

    fn wrap(mut conn: Connection, dir: &Path) -> Result<Store, StoreError> {
        packed::register(&conn)?;
        // A file's inserts, the labels' lookups and inserts (two for each
        // of nine columns) and the substring index's statements all stay
        // prepared (rusqlite keeps 16 by default).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let limit = Arc::new(Limit::default());
        let l = limit.clone();
        conn.progress_handler(
            1000,
            Some(move || {
                let deadline = l.deadline.lock().map_or(None, |d| *d);
                let over = deadline.is_some_and(|d| Instant::now() >= d);
                if over {
                    l.fired.store(true, Ordering::Relaxed);
                }
                over
            }),
        )?;
        Ok(Store {
            conn,
            dir: dir.to_path_buf(),
            segmenter: std::cell::OnceCell::new(),
            limit,
            checked: false,
            lengths: Arc::new(rank::Lengths::default()),
            data_version: std::cell::Cell::new(0),
            ranking: std::cell::Cell::new(false),
            pending: substr::Pending::default(),
            first_added: None,
            labels: labels::Labels::default(),
        })
    }

    /// The store's schema version (0 for a new, empty database); an error
    /// when the database is not a gwr store or is newer than this gwr.
    fn identify(&self) -> Result<i64, StoreError> {
        let read = || -> Result<(i64, i64, bool), rusqlite::Error> {
            let version: i64 = self
                .conn
                .pragma_query_value(None, "user_version", |r| r.get(0))?;
            let objects: i64 =
                self.conn
                    .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
            let has_files: bool = self.conn.query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'files'",
                [],
                |r| r.get(0),
            )?;
            Ok((version, objects, has_files))
        };
        let (version, objects, has_files) = read().map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Foreign("not an SQLite database".into())
            }
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                StoreError::Damaged(one_line(&e.to_string()))
            }
            _ => StoreError::Sql(e),
        })?;
        if version == 0 && objects == 0 {
            return Ok(0);
        }
        if version == 0 || !has_files {
            return Err(StoreError::Foreign(if has_files {
                "no gwr schema version".into()
            } else {
                "it has no gwr tables".into()
            }));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::Other(format!(
                "store schema {version} is newer than this gwr ({SCHEMA_VERSION})"
            )));
        }
        Ok(version)
    }

    /// SQLite's quick integrity check (structure, not contents), bounded in
    /// time; a damaged store is an error. A store that passed it is not
    /// checked again until its files change: the check reads every page
    /// (half a second for an 80 MB store), which would otherwise be most of
    /// every command on a small store.
    fn quick_check(&mut self) -> Result<(), StoreError> {
        let size = |name: &str| std::fs::metadata(self.dir.join(name)).map_or(0, |m| m.len());
        if size("gwr.sqlite") + size("gwr.sqlite-wal") > QUICK_CHECK_MAX_BYTES {
            return Ok(());
        }
        let stamp = self.stamp();
        let passed = read_record(&self.dir.join(CHECKED_FILE));
        if stamp.is_some() && stamp == passed {
            self.checked = true;
            return Ok(());
        }
        let result = self.within(QUICK_CHECK_TIME, |s| {
            Ok(s.conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get::<_, String>(0))?)
        });
        match result {
            Ok(ok) if ok == "ok" => {
                self.checked = true;
                if let Some(stamp) = stamp {
                    // A store in a directory gwr may not write to is
                    // checked on every open, as before.
                    let _ = write_replacing(&self.dir.join(CHECKED_FILE), &stamp);
                }
                Ok(())
            }
            Ok(problem) => Err(StoreError::Damaged(one_line(&problem))),
            Err(StoreError::TimedOut(_)) => Ok(()),
            Err(StoreError::Sql(e))
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
                ) =>
            {
                Err(StoreError::Damaged(one_line(&e.to_string())))
            }
            Err(e) => Err(e),
        }
    }

    /// The length and modification time of the store's database and
    /// write-ahead log, as the quick check's record keeps them; `None` when
    /// they cannot be read.
    fn stamp(&self) -> Option<String> {
        let mut out = String::new();
        for name in ["gwr.sqlite", "gwr.sqlite-wal"] {
            match std::fs::metadata(self.dir.join(name)) {
                Ok(m) => {
                    let at = m
                        .modified()
                        .ok()?
                        .duration_since(std::time::UNIX_EPOCH)
                        .ok()?;
                    out.push_str(&format!("{name} {} {}\n", m.len(), at.as_nanos()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    out.push_str(&format!("{name} -\n"));
                }
                Err(_) => return None,
            }
        }
        Some(out)
    }

    /// Did the quick integrity check on open run to the end? (It is skipped
    /// on a store over [`QUICK_CHECK_MAX_BYTES`] and gives up after a few
    /// seconds.)
    pub fn checked(&self) -> bool {
        self.checked
    }

    /// Copy the store to `gwr.sqlite.bak` (a consistent copy, through
    /// SQLite) before a migration.
    fn backup(&self) -> Result<(), StoreError> {
        let bak = self.dir.join("gwr.sqlite.bak");
        if bak.exists() {
            std::fs::remove_file(&bak)?;
        }
        let target = bak
            .to_str()
            .ok_or_else(|| StoreError::Other("store path is not UTF-8: no backup made".into()))?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    /// Run `f` with a time limit on every statement it runs: past it, the
    /// statement running is stopped and the result is
    /// [`StoreError::TimedOut`].
    pub fn within<T>(
        &self,
        limit: Duration,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.limit.fired.store(false, Ordering::Relaxed);
        if let Ok(mut d) = self.limit.deadline.lock() {
            *d = Instant::now().checked_add(limit);
        }
        let result = f(self);
        if let Ok(mut d) = self.limit.deadline.lock() {
            *d = None;
        }
        match result {
            Err(_) if self.limit.fired.swap(false, Ordering::Relaxed) => {
                Err(StoreError::TimedOut(limit.as_secs()))
            }
            r => r,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Make `gwr_rank` ready: registered, and its kept passage lengths
    /// forgotten when another connection has written since they were read
    /// (rows only grow, but a row read while it was being filled has empty
    /// cells).
    fn check_lengths(&self) -> Result<(), StoreError> {
        if !self.ranking.get() {
            rank::register(&self.conn, self.lengths.clone())?;
            self.ranking.set(true);
        }
        let v: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        if v != self.data_version.replace(v) {
            self.lengths.clear();
        }
        Ok(())
    }

    /// Bring the store to the current schema, all steps in one transaction.
    fn migrate(&self) -> Result<(), StoreError> {
        let current: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match self.migrate_steps() {
            Ok(()) => Ok(self.conn.execute_batch("COMMIT")?),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn migrate_steps(&self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Other(format!(
                "store schema {version} is newer than this gwr ({SCHEMA_VERSION})"
            )));
        }
        if version < 1 {
            self.conn.execute_batch(SCHEMA)?;
        }
        if version < 2 {
            self.conn.execute_batch(SCHEMA_V2)?;
            // Stores made before version 2 get their passages from the
            // documents' text, one per line, without section roles.
            let mut stmt = self
                .conn
                .prepare("SELECT id, gwr_text(text) FROM documents")?;
            let docs: Vec<(i64, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (id, text) in docs {
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    self.conn.execute(
                        "INSERT INTO passages (document_id, text) VALUES (?1, ?2)",
                        params![id, line],
                    )?;
                    self.conn.execute(
                        "INSERT INTO passages_fts (rowid, text) VALUES (last_insert_rowid(), ?1)",
                        [line],
                    )?;
                }
            }
        }
        if version < 3 {
            self.conn.execute_batch(SCHEMA_V3)?;
            let seg = self.segmenter()?;
            let mut stmt = self.conn.prepare("SELECT id, text FROM passages")?;
            let passages: Vec<(i64, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (id, text) in passages {
                let cut = seg.cut(&text);
                self.conn.execute(
                    "INSERT INTO passages_words (rowid, words, parts) VALUES (?1, ?2, ?3)",
                    params![id, cut.words, cut.parts],
                )?;
            }
        }
        if version < 4 {
            self.conn.execute_batch(SCHEMA_V4)?;
        }
        if version < 5 {
            for (table, column, kind) in V5_COLUMNS {
                let has: bool = self.conn.query_row(
                    &format!(
                        "SELECT COUNT(*) > 0 FROM pragma_table_info('{table}') WHERE name = ?1"
                    ),
                    [column],
                    |r| r.get(0),
                )?;
                if !has {
                    self.conn.execute_batch(&format!(
                        "ALTER TABLE {table} ADD COLUMN {column} {kind}"
                    ))?;
                }
            }
            self.conn.execute_batch(SCHEMA_V5)?;
        }
        if version < 6 {
            self.conn.execute_batch(SCHEMA_V6)?;
            self.passages_to_spans()?;
        }
        if version < 7 {
            self.conn.execute_batch(SCHEMA_V7)?;
            rank::refresh(&self.conn, 0)?;
        }
        if version < 8 {
            self.conn.execute_batch(SCHEMA_V8)?;
        }
        if version < 9 {
            self.conn.execute_batch(SCHEMA_V9)?;
            self.pack_texts()?;
        }
        if version < 10 {
            self.conn.execute_batch(SCHEMA_V10)?;
        }
        // A store that already has the view (one marked older by hand)
        // keeps it.
        let is_table = |name: &str| -> Result<bool, StoreError> {
            Ok(self.conn.query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [name],
                |r| r.get(0),
            )?)
        };
        if version < 11 {
            self.conn.execute_batch(SCHEMA_V11)?;
            if is_table("facts")? {
                self.conn.execute_batch(V11_METRIC_INDEX)?;
            }
        }
        if version < 12 && is_table("targets")? {
            self.conn.execute_batch(SCHEMA_V12)?;
        }
        if version < 13 && is_table("terms")? {
            self.conn.execute_batch(SCHEMA_V13)?;
        }
        if version < 14 && is_table("facts")? {
            self.conn.execute_batch(SCHEMA_V14)?;
        }
        // Later versions add their steps here, each bumping user_version.
        self.conn
            .pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(())
    }

    /// Version 6: each row of the passages table becomes a span of its
    /// document's text (found in order, as ingest cut them), then the table
    /// gives way to the view over the spans. Row ids are kept, so both
    /// search indexes stay valid.
    fn passages_to_spans(&self) -> Result<(), StoreError> {
        let is_table: bool = self.conn.query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_schema WHERE name = 'passages' AND type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if is_table {
            let mut docs = self
                .conn
                .prepare("SELECT id, gwr_text(text) FROM documents")?;
            let mut passages = self.conn.prepare(
                "SELECT id, section, role, text FROM passages WHERE document_id = ?1 ORDER BY id",
            )?;
            let mut insert = self.conn.prepare(
                "INSERT INTO passage_spans (id, document_id, section, role, start, chars) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut rows = docs.query([])?;
            while let Some(d) = rows.next()? {
                let doc_id: i64 = d.get(0)?;
                let text: String = d.get(1)?;
                let mut finder = spans::SpanFinder::new(&text);
                let mut ps = passages.query([doc_id])?;
                while let Some(p) = ps.next()? {
                    let id: i64 = p.get(0)?;
                    let section: Option<String> = p.get(1)?;
                    let role: Option<String> = p.get(2)?;
                    let passage: String = p.get(3)?;
                    let Some((start, chars)) = finder.find(&passage) else {
                        return Err(StoreError::Other(format!(
                            "passage {id} is not in the text of document {doc_id}"
                        )));
                    };
                    insert.execute(params![id, doc_id, section, role, start, chars])?;
                }
            }
            self.conn.execute_batch("DROP TABLE passages")?;
        }
        self.conn
            .execute_batch(&format!("DROP VIEW IF EXISTS passages; {PASSAGES_VIEW}"))?;
        Ok(())
    }

    /// Version 9: each document's text is packed in place (unless it is
    /// already), a few documents at a time.
    fn pack_texts(&self) -> Result<(), StoreError> {
        const BATCH: i64 = 64;
        let mut next = self.conn.prepare(
            "SELECT id, text FROM documents WHERE id > ?1 AND typeof(text) = 'text' \
             ORDER BY id LIMIT ?2",
        )?;
        let mut update = self
            .conn
            .prepare("UPDATE documents SET text = ?2 WHERE id = ?1")?;
        let mut after = 0i64;
        loop {
            let docs: Vec<(i64, String)> = next
                .query_map(params![after, BATCH], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let Some(&(last, _)) = docs.last() else {
                return Ok(());
            };
            for (id, text) in &docs {
                update.execute(params![id, packed::pack(text)])?;
            }
            after = last;
        }
    }

    /// The store's segmenter: the built-in one, plus the words of its
    /// lexicon when it has any.
    pub fn segmenter(&self) -> Result<Arc<Segmenter>, StoreError> {
        if let Some(s) = self.segmenter.get() {
            return Ok(s.clone());
        }
        let has_lexicon: bool = self.conn.query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'lexicon'",
            [],
            |r| r.get(0),
        )?;
        let words: Vec<String> = if has_lexicon {
            let mut stmt = self
                .conn
                .prepare("SELECT word FROM lexicon ORDER BY word")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        let seg = if words.is_empty() {
            static BUILTIN: OnceLock<Arc<Segmenter>> = OnceLock::new();
            BUILTIN
                .get_or_init(|| Arc::new(Segmenter::new(&[])))
                .clone()
        } else {
            Arc::new(Segmenter::new(&words))
        };
        Ok(self.segmenter.get_or_init(|| seg).clone())
    }

    /// Add words to the store's lexicon (kept whole by its segmenter from
    /// now on; passages stored before keep their cut, and stay findable by
    /// substring). Returns how many were new.
    pub fn add_terms(&mut self, words: &[String]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        for w in words {
            added += tx.execute("INSERT OR IGNORE INTO lexicon (word) VALUES (?1)", [w])?;
        }
        tx.commit()?;
        self.segmenter = std::cell::OnceCell::new();
        Ok(added)
    }

    /// Is a file with these contents in the store already?
    pub fn has(&self, hash: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM files WHERE hash = ?1", [hash], |_| Ok(()))
            .map(|_| true)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(false),
                e => Err(e),
            })?)
    }

    /// The content hashes of every stored file.
    pub fn hashes(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT hash FROM files")?;
        let v = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<std::collections::HashSet<_>, _>>()?;
        Ok(v)
    }

    /// Record a file that could not be read (once per path and message).
    pub fn log_error(&self, path: &Path, message: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO errors (path, message, at) VALUES (?1, ?2, ?3)
             ON CONFLICT (path, message) DO UPDATE SET at = excluded.at",
            params![path.display().to_string(), message, now()],
        )?;
        Ok(())
    }

    /// Add a parsed file in one transaction. Returns `false` when a file with
    /// the same contents is stored already.
    pub fn add(
        &mut self,
        path: &Path,
        hash: &str,
        bytes: usize,
        file: &ParsedFile,
    ) -> Result<bool, StoreError> {
        let rows = FileRows::new(file, &*self.segmenter()?);
        let added = self.add_rows(path, hash, bytes, &rows)?;
        // The file is stored either way: a segment not written leaves its
        // documents to the next flush, and search reads them meanwhile.
        let _ = self.finish();
        Ok(added)
    }

    /// A pragma's number (`auto_vacuum`, `freelist_count`, ...).
    fn pragma(&self, name: &str) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, name, |r| r.get(0))?)
    }

    /// Write the substring index's pending segment (at the end of an
    /// ingest; [`Store::add_batch`] writes one whenever enough is pending).
    pub fn finish(&mut self) -> Result<(), StoreError> {
        substr::flush(&self.conn, &mut self.pending)?;
        self.settle_word_index()?;
        self.give_back_free_pages()
    }

    /// The word index's `automerge`, [`WORD_INDEX_AUTOMERGE`], kept in the
    /// index's own configuration (written only when it differs).
    fn set_word_index_automerge(&self) -> Result<(), StoreError> {
        let now: Option<i64> = self
            .conn
            .query_row(
                "SELECT v FROM passages_words_config WHERE k = 'automerge'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if now != Some(WORD_INDEX_AUTOMERGE) {
            self.conn.execute(
                "INSERT INTO passages_words (passages_words, rank) VALUES ('automerge', ?1)",
                [WORD_INDEX_AUTOMERGE],
            )?;
        }
        Ok(())
    }

    /// After an ingest, the word index's segments: an ingest that added a
    /// quarter of the index or more merges it into one segment (FTS5's
    /// `optimize`: a search then reads each word's list from one place),
    /// whose cost, a rewrite of the index, is at most four times what the
    /// ingest wrote; a smaller one merges levels that hold
    /// four segments or more, writing at most [`WORD_INDEX_MERGE_PAGES`]
    /// (FTS5's `merge`, as its default `automerge` would have), so daily
    /// additions to a large store stay cheap.
    fn settle_word_index(&mut self) -> Result<(), StoreError> {
        let Some(first) = self.first_added.take() else {
            return Ok(());
        };
        let last = next_passage_id(&self.conn)? - 1;
        let added = last - first + 1;
        if added <= 0 {
            return Ok(());
        }
        if added.saturating_mul(4) >= last {
            self.conn.execute(
                "INSERT INTO passages_words (passages_words) VALUES ('optimize')",
                [],
            )?;
        } else {
            self.conn.execute(
                "INSERT INTO passages_words (passages_words, rank) VALUES ('merge', ?1)",
                [WORD_INDEX_MERGE_PAGES],
            )?;
        }
        Ok(())
    }

    /// Return the file's free pages to the file system once they are many:
    /// at least [`FREE_PAGES_KEPT`] and a fiftieth of the file. Only stores
    /// made with incremental auto-vacuum (every store [`Store::open`]
    /// creates) can; in others, and below the mark, later writes reuse the
    /// pages.
    fn give_back_free_pages(&self) -> Result<(), StoreError> {
        let mode = self.pragma("auto_vacuum")?;
        let free = self.pragma("freelist_count")?;
        let pages = self.pragma("page_count")?;
        if mode == 2 && free >= FREE_PAGES_KEPT && free * 50 >= pages {
            let mut stmt = self.conn.prepare("PRAGMA incremental_vacuum")?;
            let mut rows = stmt.query([])?;
            while rows.next()?.is_some() {}
        }
        Ok(())
    }

    /// Note the documents a committed transaction stored for the substring
    /// index, and write a segment when enough is pending (a failure leaves
    /// them pending: the next flush, or the next ingest, writes them).
    fn pending_add(&mut self, ids: &[i64], file: &FileRows) {
        let more = file.documents.iter().map(|d| d.keys.len()).sum();
        if self.pending.full_with(more) {
            let _ = substr::flush(&self.conn, &mut self.pending);
        }
        for (id, d) in ids.iter().zip(&file.documents) {
            self.pending.add(*id, &d.keys);
        }
    }

    /// Add a file's prepared rows in one transaction. Returns `false` when a
    /// file with the same contents is stored already.
    pub fn add_rows(
        &mut self,
        path: &Path,
        hash: &str,
        bytes: usize,
        file: &FileRows,
    ) -> Result<bool, StoreError> {
        let added = (|| {
            let tx = self.conn.transaction()?;
            let from = next_passage_id(&tx)?;
            let inserted = insert_file(&tx, path, hash, bytes, file, &mut self.labels)?;
            rank::refresh(&tx, from)?;
            tx.commit()?;
            Ok::<_, StoreError>((from, inserted))
        })();
        // Codes added by a transaction rolled back are gone with it.
        let (from, inserted) = added.inspect_err(|_| self.labels = labels::Labels::default())?;
        self.first_added.get_or_insert(from);
        self.lengths.clear();
        if let Some(ids) = &inserted {
            self.pending_add(ids, file);
        }
        Ok(inserted.is_some())
    }

    /// Add several files in one transaction (far cheaper for the full-text
    /// indexes than one each); every file is still whole or absent. When
    /// any file fails, the batch is rolled back and its files are added one
    /// by one, so one bad file costs only itself. One result per file.
    pub fn add_batch(&mut self, files: &[NewFile<'_>]) -> Vec<Result<bool, StoreError>> {
        let together = (|| {
            let tx = self.conn.transaction()?;
            let from = next_passage_id(&tx)?;
            let mut results = Vec::with_capacity(files.len());
            for f in files {
                results.push(insert_file(
                    &tx,
                    f.path,
                    f.hash,
                    f.bytes,
                    f.rows,
                    &mut self.labels,
                )?);
            }
            rank::refresh(&tx, from)?;
            tx.commit()?;
            self.lengths.clear();
            self.first_added.get_or_insert(from);
            Ok::<_, StoreError>(results)
        })();
        match together {
            Ok(results) => {
                for (f, ids) in files.iter().zip(&results) {
                    if let Some(ids) = ids {
                        self.pending_add(ids, f.rows);
                    }
                }
                results.into_iter().map(|r| Ok(r.is_some())).collect()
            }
            Err(_) => {
                self.labels = labels::Labels::default();
                files
                    .iter()
                    .map(|f| self.add_rows(f.path, f.hash, f.bytes, f.rows))
                    .collect()
            }
        }
    }
}

/// A file for [`Store::add_batch`].
pub struct NewFile<'a> {
    pub path: &'a Path,
    pub hash: &'a str,
    pub bytes: usize,
    pub rows: &'a FileRows,
}

/// The row id the next passage will get, one past the last stored: where
/// the passages a transaction adds begin.
fn next_passage_id(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM passage_spans",
        [],
        |r| r.get(0),
    )?)
}

/// Insert one file's rows: its documents' ids, or `None` when its hash is
/// stored already.
fn insert_file(
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    hash: &str,
    bytes: usize,
    file: &FileRows,
    labels: &mut labels::Labels,
) -> Result<Option<Vec<i64>>, StoreError> {
    {
        let inserted = tx.prepare_cached(
            "INSERT OR IGNORE INTO files (hash, path, name, format, encoding, bytes, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            hash,
            path.display().to_string(),
            file.name,
            file.format,
            file.encoding,
            bytes as i64,
            now()
        ])?;
        if inserted == 0 {
            return Ok(None);
        }
        let file_id = tx.last_insert_rowid();
        let mut doc_ids = Vec::new();
        let mut insert_document = tx.prepare_cached(
            "INSERT INTO documents (file_id, part, doc_type, title, region, region_code, region_path, level,
             speaker, speaker_title, meeting, date, review_year, plan_year, inferred, chars, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?;
        let mut insert_words = tx.prepare_cached(
            "INSERT INTO passages_words (rowid, words, parts) VALUES (?1, ?2, ?3)",
        )?;
        let mut insert_span = tx.prepare_cached(
            "INSERT INTO passage_spans (document_id, section, role, start, chars) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut insert_section = tx.prepare_cached(
            "INSERT INTO sections (document_id, sid, level, title, role) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut insert_term = tx.prepare_cached(
            "INSERT INTO term_spans (document_id, term, start, chars, definition) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for d in &file.documents {
            let r = &d.record;
            insert_document.execute(params![
                file_id,
                r.part as i64,
                r.doc_type,
                r.title,
                r.region,
                r.region_code,
                r.region_path
                    .as_ref()
                    .and_then(|p| serde_json::to_string(p).ok()),
                r.level,
                r.speaker,
                r.speaker_title,
                r.meeting,
                r.date,
                r.review_year,
                r.plan_year,
                serde_json::to_string(&r.inferred).ok(),
                d.chars as i64,
                d.packed
            ])?;
            let doc_id = tx.last_insert_rowid();
            doc_ids.push(doc_id);
            for p in &d.passages {
                insert_span.execute(params![doc_id, p.section, p.role, p.start, p.chars])?;
                let id = tx.last_insert_rowid();
                insert_words.execute(params![id, p.cut.words, p.cut.parts])?;
            }
            for s in &d.sections {
                insert_section.execute(params![doc_id, s.sid, s.level, s.title, s.role])?;
            }
            for t in &d.terms {
                insert_term.execute(params![doc_id, t.term, t.start, t.chars, t.definition])?;
            }
        }
        let doc_of = |part: usize| doc_ids.get(part.saturating_sub(1)).copied().unwrap_or(0);
        let mut insert_fact = tx.prepare_cached(
            "INSERT INTO fact_rows (document_id, metric_id, metric_code, kind_code, year, year_from,
             year_to, value, unit_code, value_base, base_unit_code, qualifier_code, lo, hi, stretch,
             change_type_code, change_value, change_qualifier_code, change_lo, change_hi,
             change_stretch, section_code, role_code, evidence, source_start, source_end,
             text_start, text_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
             ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
        )?;
        let mut fact_ids = Vec::with_capacity(file.facts.len());
        for f in &file.facts {
            let c = f.change.as_ref();
            insert_fact.execute(params![
                doc_of(f.part),
                f.metric_id,
                labels.code(tx, "metric", &f.metric)?,
                labels.code(tx, "kind", f.kind.as_str())?,
                f.year,
                f.years.map(|y| y[0]),
                f.years.map(|y| y[1]),
                f.value,
                labels.code_of(tx, "unit", f.unit.as_deref())?,
                f.value_base,
                labels.code_of(tx, "base_unit", f.base_unit.as_deref())?,
                labels.code_of(tx, "qualifier", f.qualifier.map(|q| q.as_str()))?,
                f.lo,
                f.hi,
                f.stretch,
                labels.code_of(tx, "change_type", c.map(|c| c.kind.as_str()))?,
                c.and_then(|c| c.value),
                labels.code_of(
                    tx,
                    "change_qualifier",
                    c.and_then(|c| c.qualifier.map(|q| q.as_str())),
                )?,
                c.and_then(|c| c.lo),
                c.and_then(|c| c.hi),
                c.and_then(|c| c.stretch),
                labels.code_of(tx, "section", f.section.as_deref())?,
                labels.code_of(tx, "role", f.role)?,
                f.evidence,
                f.source_span[0] as i64,
                f.source_span[1] as i64,
                f.text_span.map(|s| s[0] as i64),
                f.text_span.map(|s| s[1] as i64)
            ])?;
            fact_ids.push(tx.last_insert_rowid());
        }
        let mut insert_reference = tx.prepare_cached(
            "INSERT INTO target_rows (document_id, fact_id, comparator, wording, qualitative)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut insert_target = tx.prepare_cached(
            "INSERT INTO target_rows (document_id, metric_id, metric, year, year_from, year_to, value, unit,
             change_type, change_value, comparator, wording, qualitative, evidence, kind, lo, hi, stretch,
             section)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )?;
        for (t, fact) in file.targets.iter().zip(&file.target_facts) {
            if let Some(&fact_id) = fact.and_then(|i| fact_ids.get(i)) {
                insert_reference.execute(params![
                    doc_of(t.part),
                    fact_id,
                    t.comparator,
                    t.wording.as_str(),
                    t.qualitative
                ])?;
                continue;
            }
            let c = t.change.as_ref();
            insert_target.execute(params![
                doc_of(t.part),
                t.metric_id,
                t.metric,
                t.year,
                t.years.map(|y| y[0]),
                t.years.map(|y| y[1]),
                t.value,
                t.unit,
                c.map(|c| c.kind.as_str()),
                c.and_then(|c| c.value.or(c.lo)),
                t.comparator,
                t.wording.as_str(),
                t.qualitative,
                t.evidence,
                t.kind.as_str(),
                c.and_then(|c| c.lo).or(t.lo),
                c.and_then(|c| c.hi).or(t.hi),
                c.and_then(|c| c.stretch).or(t.stretch),
                t.section
            ])?;
        }
        let mut insert_commitment = tx.prepare_cached(
            "INSERT INTO commitments (document_id, kind, stage, idx, title, text, figures, announced)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for c in &file.commitments {
            insert_commitment.execute(params![
                doc_of(c.part),
                c.kind.as_str(),
                c.stage.as_str(),
                c.index.map(|i| i as i64),
                c.title,
                c.text,
                serde_json::to_string(&c.figures).unwrap_or_else(|_| "[]".into()),
                c.announced
            ])?;
        }
        Ok(Some(doc_ids))
    }
}

impl Store {
    /// A user's statement, refused unless it only reads. A write to a view
    /// (`facts`, `targets`, …) fails to prepare at all; it is refused the
    /// same way.
    pub(crate) fn prepare_read_only(
        &self,
        sql: &str,
    ) -> Result<rusqlite::Statement<'_>, StoreError> {
        let refused = || StoreError::Other("only read-only statements are allowed".into());
        match self.conn.prepare(sql) {
            Ok(stmt) if stmt.readonly() => Ok(stmt),
            Ok(_) => Err(refused()),
            Err(e) if e.to_string().contains("because it is a view") => Err(refused()),
            Err(e) => Err(e.into()),
        }
    }

    /// Run a read-only query; returns column names and rows as JSON values.
    pub fn query(
        &self,
        sql: &str,
    ) -> Result<(Vec<String>, Vec<Vec<serde_json::Value>>), StoreError> {
        let mut cols = Vec::new();
        let mut rows = Vec::new();
        self.query_rows(
            sql,
            |c| {
                cols = c.to_vec();
                Ok(())
            },
            |r| {
                rows.push(r);
                Ok(true)
            },
        )?;
        Ok((cols, rows))
    }

    /// Run a read-only query, handing over its column names first and then
    /// each row as it is read (never all rows at once); `row` returns
    /// `false` to stop early.
    pub fn query_rows(
        &self,
        sql: &str,
        columns: impl FnOnce(&[String]) -> Result<(), StoreError>,
        mut row: impl FnMut(Vec<serde_json::Value>) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.prepare_read_only(sql)?;
        let cols: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let n = cols.len();
        columns(&cols)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let values = (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => serde_json::Value::Null,
                        rusqlite::types::ValueRef::Integer(v) => serde_json::Value::from(v),
                        rusqlite::types::ValueRef::Real(v) => serde_json::Value::from(v),
                        rusqlite::types::ValueRef::Text(t) => {
                            serde_json::Value::from(String::from_utf8_lossy(t).into_owned())
                        }
                        rusqlite::types::ValueRef::Blob(b) => {
                            serde_json::Value::from(format!("<{} bytes>", b.len()))
                        }
                    })
                })
                .collect::<Result<Vec<_>, rusqlite::Error>>()?;
            if !row(values)? {
                break;
            }
        }
        Ok(())
    }

    /// Check the store's integrity (SQLite's full check plus our
    /// invariants), however long it takes.
    pub fn check(&self) -> Result<(), StoreError> {
        let ok: String = self
            .conn
            .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                    StoreError::Damaged(one_line(&e.to_string()))
                }
                _ => StoreError::Sql(e),
            })?;
        if ok != "ok" {
            return Err(StoreError::Damaged(one_line(&ok)));
        }
        let orphans: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM facts WHERE document_id NOT IN (SELECT id FROM documents)",
            [],
            |r| r.get(0),
        )?;
        if orphans > 0 {
            return Err(StoreError::Other(format!(
                "{orphans} facts without a document"
            )));
        }
        let unlabelled: i64 = self.conn.query_row(
            &format!(
                "SELECT COUNT(*) FROM fact_rows WHERE {}",
                LABELLED
                    .map(|c| format!(
                        "({c}_code IS NOT NULL AND {c}_code NOT IN (SELECT code FROM labels_{c}))"
                    ))
                    .join(" OR ")
            ),
            [],
            |r| r.get(0),
        )?;
        if unlabelled > 0 {
            return Err(StoreError::Other(format!(
                "{unlabelled} facts with a label code not in labels"
            )));
        }
        let empty: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM files WHERE id NOT IN (SELECT file_id FROM documents)",
            [],
            |r| r.get(0),
        )?;
        if empty > 0 {
            return Err(StoreError::Other(format!(
                "{empty} files without documents"
            )));
        }
        Ok(())
    }
}

/// SQLite's report of a damaged database on one short line.
fn one_line(report: &str) -> String {
    let lines: Vec<&str> = report
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("***"))
        .collect();
    lines.join("; ").chars().take(200).collect()
}

/// Tables `gwr export` may write.
pub const TABLES: &[&str] = &[
    "files",
    "documents",
    "sections",
    "passages",
    "facts",
    "targets",
    "commitments",
    "terms",
    "errors",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gwr-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    /// A scratch store holding [`REPORT`], closed.
    fn stored(name: &str) -> PathBuf {
        let dir = scratch(name);
        let mut store = Store::open(&dir).expect("store opens");
        sample(&mut store, "a.txt", REPORT);
        dir
    }

    /// Overwrite the `half` bytes either side of the middle of the file at
    /// `path` with noise, keeping its length.
    fn scramble_middle(path: &Path, half: usize) {
        let mut bytes = std::fs::read(path).expect("reads");
        let mid = bytes.len() / 2;
        for (i, b) in bytes[mid - half..mid + half].iter_mut().enumerate() {
            *b = (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1];
        }
        std::fs::write(path, &bytes).expect("writes");
    }

    /// Set the modification time of the file at `path`.
    fn set_time(path: &Path, when: std::time::SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(when))
            .expect("sets the time");
    }

    #[test]
    fn add_is_idempotent_and_queryable() {
        let dir = scratch("add");
        let mut store = Store::open(&dir).expect("store opens");
        let bytes = "政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2023年工作回顾\n全年实现地区生产总值100亿元，增长5%。\n".as_bytes();
        let engine = gwr_engine::Engine::new();
        let file = engine.parse_bytes("a.txt", bytes).expect("parses");
        let h = content_hash(bytes);
        assert!(
            store
                .add(Path::new("a.txt"), &h, bytes.len(), &file)
                .expect("adds")
        );
        assert!(
            !store
                .add(Path::new("a.txt"), &h, bytes.len(), &file)
                .expect("adds")
        );
        assert!(store.has(&h).expect("query"));
        let (cols, rows) = store
            .query("SELECT metric_id, value, change_value FROM facts")
            .expect("query");
        assert_eq!(cols, ["metric_id", "value", "change_value"]);
        assert_eq!(
            rows,
            [vec![
                serde_json::json!("gdp"),
                serde_json::json!(100.0),
                serde_json::json!(5.0)
            ]]
        );
        for write in [
            "DELETE FROM facts",
            "DELETE FROM fact_rows",
            "UPDATE targets SET year = 1",
        ] {
            let e = store.query(write).expect_err("refused").to_string();
            assert!(e.contains("read-only"), "{write}: {e}");
        }
        store.check().expect("consistent");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn sample(store: &mut Store, name: &str, text: &str) -> String {
        let engine = gwr_engine::Engine::new();
        let file = engine.parse_bytes(name, text.as_bytes()).expect("parses");
        let h = content_hash(text.as_bytes());
        store
            .add(Path::new(name), &h, text.len(), &file)
            .expect("adds");
        h
    }

    const REPORT: &str = "政府工作报告\n各位代表：\n一、2023年工作回顾\n深化“最多跑一次”改革，发展数字经济。全年实现地区生产总值100亿元，增长5%。\n";

    /// A report with targets of a level, of a change with bounds, of a
    /// range, and a goal without a number.
    const TARGETS_REPORT: &str = "政府工作报告\n各位代表：\n一、2023年工作回顾\n全年实现地区生产总值100亿元，增长5%。\n二、2024年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，力争7%；一般公共预算收入增长5%以上；城镇调查失业率5.5%以内；居民消费价格涨幅3%左右；粮食产量保持在50万吨以上；城乡居民收入增长与经济增长同步。\n";

    /// The target rows that refer to a fact, and those with columns of
    /// their own.
    fn target_rows_by_kind(store: &Store) -> (i64, i64) {
        store
            .conn
            .query_row(
                "SELECT COUNT(fact_id), COUNT(*) - COUNT(fact_id) FROM target_rows",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("counts")
    }

    /// A target row that refers to its fact reads through the view as the
    /// same target written with its own columns; a goal without a number
    /// keeps its own.
    #[test]
    fn targets_read_the_same_through_their_facts() {
        let engine = gwr_engine::Engine::new();
        let file = engine
            .parse_bytes("t.txt", TARGETS_REPORT.as_bytes())
            .expect("parses");
        let mut read = Vec::new();
        for refer in [true, false] {
            let dir = scratch(if refer {
                "targets-refer"
            } else {
                "targets-own"
            });
            let mut store = Store::open(&dir).expect("store opens");
            let mut rows = FileRows::new(&file, &store.segmenter().expect("segmenter"));
            if !refer {
                rows.target_facts.iter_mut().for_each(|f| *f = None);
            }
            let h = content_hash(TARGETS_REPORT.as_bytes());
            store
                .add_rows(Path::new("t.txt"), &h, TARGETS_REPORT.len(), &rows)
                .expect("adds");
            let (refer_rows, own) = target_rows_by_kind(&store);
            if refer {
                assert!(refer_rows >= 5, "{refer_rows} rows refer to facts");
                assert_eq!(own, 1, "the goal without a number");
            } else {
                assert_eq!(refer_rows, 0);
            }
            read.push(
                store
                    .query("SELECT * FROM targets ORDER BY id")
                    .expect("reads"),
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
        assert_eq!(read[0], read[1]);
    }

    /// SQL that turns the facts view back into a table of texts, as a
    /// store before version 14 had it (the label tables go).
    fn facts_as_a_table(columns: &str) -> String {
        let labels: Vec<String> = LABELLED
            .iter()
            .map(|c| format!("DROP TABLE labels_{c};"))
            .collect();
        format!(
            "CREATE TABLE f13 AS SELECT {columns} FROM facts; DROP VIEW facts; \
             DROP TABLE fact_rows; {} CREATE TABLE facts AS SELECT * FROM f13; DROP TABLE f13;",
            labels.join(" ")
        )
    }

    /// A fact's labels are codes into the tables of labels, each text
    /// stored once; the facts view reads what a table of texts held, and a
    /// version 13 store's facts (that table) read the same after the
    /// migration.
    #[test]
    fn facts_keep_their_labels_once() {
        let dir = scratch("labels");
        let all = |s: &Store| {
            let facts = s.query("SELECT * FROM facts ORDER BY id").expect("facts");
            let targets = s
                .query("SELECT * FROM targets ORDER BY id")
                .expect("targets");
            (facts, targets)
        };
        let count =
            |s: &Store, q: &str| -> i64 { s.conn.query_row(q, [], |r| r.get(0)).expect("counts") };
        let labels = LABELLED
            .map(|c| format!("(SELECT COUNT(*) FROM labels_{c})"))
            .join(" + ");
        let labels = format!("SELECT {labels}");
        let before;
        {
            let mut store = Store::open(&dir).expect("store opens");
            sample(&mut store, "a.txt", REPORT);
            sample(&mut store, "b.txt", TARGETS_REPORT);
            before = all(&store);
            let distinct = LABELLED
                .map(|c| format!("SELECT '{c}', {c} FROM facts WHERE {c} IS NOT NULL"))
                .join(" UNION ");
            let distinct = count(&store, &format!("SELECT COUNT(*) FROM ({distinct})"));
            assert!(before.0.1.len() >= 5);
            assert_eq!(count(&store, &labels), distinct);
            assert!(
                before.0.1.iter().any(|r| r[9].is_string()),
                "a fact with a unit"
            );
            store
                .conn
                .execute_batch(&format!(
                    "{} PRAGMA user_version = 13;",
                    facts_as_a_table("*")
                ))
                .expect("a version 13 store");
        }
        let store = Store::open(&dir).expect("migrates");
        assert_eq!(all(&store), before);
        assert!(count(&store, &labels) > 5);
        store.check().expect("labels resolve");
        store
            .conn
            .execute_batch("UPDATE fact_rows SET unit_code = 9999 WHERE id = 1")
            .expect("a code with no label");
        assert!(store.check().is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A report followed by its glossary: numbered entries, one with its
    /// term in quotation marks.
    const GLOSSARY_REPORT: &str = "政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n一、2023年工作回顾\n深化“最多跑一次”改革。\n《政府工作报告》名词解释\n1.最多跑一次：群众和企业到政府办理一件事情，在材料齐全、符合法定受理条件时，从受理申请到形成办理结果全过程只需一次上门或零上门。\n2.“两个健康”：非公有制经济健康发展和非公有制经济人士健康成长。\n3.数字经济：以数据资源为关键要素的经济形态。\n全面推进数字化改革。\n";

    /// A glossary entry's definition is a span of its document's text: the
    /// terms view gives what the entry's heading is followed by, as a copy
    /// of it held; a row holding its own definition (a store made before)
    /// reads it.
    #[test]
    fn glossary_definitions_are_spans_of_the_text() {
        let dir = scratch("terms");
        let mut store = Store::open(&dir).expect("store opens");
        sample(&mut store, "g.txt", GLOSSARY_REPORT);
        let file = gwr_engine::Engine::new()
            .parse_bytes("g.txt", GLOSSARY_REPORT.as_bytes())
            .expect("parses");
        let want: Vec<Vec<String>> = file
            .documents
            .iter()
            .flat_map(|d| &d.sections)
            .filter(|s| s.role == Some(gwr_engine::Role::GlossaryEntry))
            .map(|s| {
                let def = file.text()[s.heading.end..s.span.end]
                    .trim_start_matches(['：', ':'])
                    .trim();
                vec![s.title.clone(), def.to_string()]
            })
            .collect();
        assert!(want.len() >= 3, "{want:?}");
        let got = store
            .query("SELECT term, definition FROM terms ORDER BY id")
            .expect("reads")
            .1;
        let got: Vec<Vec<String>> = got
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .collect();
        assert_eq!(got, want);
        let copies: i64 = store
            .conn
            .query_row("SELECT COUNT(definition) FROM term_spans", [], |r| r.get(0))
            .expect("counts");
        assert_eq!(copies, 0);
        store
            .conn
            .execute(
                "UPDATE term_spans SET definition = '旧的定义' WHERE id = 1",
                [],
            )
            .expect("an old row");
        let first: String = store
            .conn
            .query_row("SELECT definition FROM terms WHERE id = 1", [], |r| {
                r.get(0)
            })
            .expect("reads");
        assert_eq!(first, "旧的定义");
        drop(store);
        // A version 12 store: definitions copied into a terms table. The
        // migration makes them spans again (all but the one no longer in
        // the text).
        {
            let store = Store::open(&dir).expect("opens");
            store
                .conn
                .execute_batch(
                    "CREATE TABLE t12 AS SELECT id, document_id, term, definition FROM terms;
                     DROP VIEW terms; DROP TABLE term_spans; ALTER TABLE t12 RENAME TO terms;
                     PRAGMA user_version = 12;",
                )
                .expect("a version 12 store");
        }
        let store = Store::open(&dir).expect("migrates");
        let mut again = store
            .query("SELECT term, definition FROM terms ORDER BY id")
            .expect("reads")
            .1
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .collect::<Vec<Vec<String>>>();
        assert_eq!(
            again.remove(0),
            vec![want[0][0].clone(), "旧的定义".to_string()]
        );
        assert_eq!(again, want[1..]);
        let copies: i64 = store
            .conn
            .query_row("SELECT COUNT(definition) FROM term_spans", [], |r| r.get(0))
            .expect("counts");
        assert_eq!(copies, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn word_hits_score_as_bm25_with_the_kept_lengths() {
        let dir = scratch("rank");
        let mut store = Store::open(&dir).expect("store opens");
        for i in 0..12 {
            let text = format!(
                "政府工作报告\n各位代表：\n一、2023年工作回顾\n{}发展数字经济。\n第{i}项数字经济工作。\n",
                "推进改革，".repeat(i + 1)
            );
            sample(&mut store, &format!("r{i}.txt"), &text);
        }
        let (_, rows) = store
            .query("SELECT count(*) FROM passage_lengths")
            .expect("lengths");
        assert_eq!(
            rows[0][0],
            serde_json::json!(1),
            "written with the passages"
        );
        let bm25 = |id: i64| -> f64 {
            store
                .conn
                .query_row(
                    "SELECT bm25(passages_words, 1.0, 0.5) FROM passages_words \
                     WHERE passages_words MATCH '{words parts} : \"数字经济\"' AND rowid = ?1",
                    [id],
                    |r| r.get(0),
                )
                .expect("bm25")
        };
        for _ in 0..2 {
            let hits = store
                .search("数字经济", &SearchFilter::default(), 30)
                .expect("searches");
            assert_eq!(hits.len(), 24);
            for h in &hits {
                assert_eq!(h.score.to_bits(), (-bm25(h.passage_id)).to_bits());
            }
            assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        }
        drop(store);
        // A reader keeps the rows it read, and the scores are the same.
        let reader = Store::open_read_only(&dir).expect("opens");
        let again = reader
            .search("数字经济", &SearchFilter::default(), 30)
            .expect("searches");
        assert_eq!(again.len(), 24);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn readers_map_the_file_and_the_writer_does_not() {
        let dir = scratch("mmap");
        let mmap = |s: &Store| -> i64 {
            s.conn
                .pragma_query_value(None, "mmap_size", |r| r.get(0))
                .expect("reads the pragma")
        };
        {
            let mut store = Store::open(&dir).expect("store opens");
            sample(&mut store, "a.txt", REPORT);
            store.finish().expect("finishes");
            assert_eq!(mmap(&store), 0);
        }
        let reader = Store::open_read_only(&dir).expect("opens");
        assert!(mmap(&reader) > 0, "the reader maps the file");
        let hits = reader
            .search("数字经济", &SearchFilter::default(), 5)
            .expect("searches");
        assert!(!hits.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The columns of the facts table up to version 4 (which added the
    /// text spans after them), as the view reads them.
    const FACT_COLUMNS_V4: &str = "id, document_id, metric_id, metric, kind, year, year_from, \
         year_to, value, unit, value_base, base_unit, qualifier, lo, hi, stretch, change_type, \
         change_value, change_qualifier, change_lo, change_hi, change_stretch, section, role, \
         evidence, source_start, source_end";

    /// A version 4 store (a targets table without `stretch`, facts without
    /// text spans) gains the columns, and its targets, now rows under the
    /// view, read as before.
    #[test]
    fn version_4_stores_gain_the_reader_columns() {
        let dir = scratch("v4");
        let columns = "id, document_id, metric_id, metric, year, year_from, year_to, value, unit, \
             change_type, change_value, comparator, wording, qualitative, evidence, kind, lo, hi, \
             section";
        let targets = |s: &Store| s.query(&format!("SELECT {columns} FROM targets ORDER BY id"));
        let before;
        {
            let mut store = Store::open(&dir).expect("store opens");
            sample(&mut store, "a.txt", TARGETS_REPORT);
            before = targets(&store).expect("targets").1;
            assert!(!before.is_empty());
            store
                .conn
                .execute_batch(&format!(
                    "CREATE TABLE t4 AS SELECT {columns} FROM targets;
                     DROP VIEW targets; DROP TABLE target_rows; ALTER TABLE t4 RENAME TO targets;
                     {} PRAGMA user_version = 4;",
                    facts_as_a_table(FACT_COLUMNS_V4)
                ))
                .expect("a version 4 store");
        }
        let mut store = Store::open(&dir).expect("migrates");
        assert_eq!(targets(&store).expect("targets").1, before);
        let (refer, own) = target_rows_by_kind(&store);
        // The goal without a number keeps its columns, and so does the
        // target with a stretch figure, which version 4 did not keep (its
        // fact has one).
        assert_eq!((refer, own), (4, 2));
        let q = RowQuery::default();
        let old = store.facts(&q).expect("reads");
        assert!(!old.items.is_empty());
        assert!(old.items.iter().all(|f| f.text_start.is_none()));
        sample(&mut store, "b.txt", &format!("{REPORT}新增\n"));
        let all = store.facts(&q).expect("reads");
        assert!(all.items.iter().any(|f| f.text_start.is_some()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A new store vacuums incrementally: once many pages are free (as
    /// after a merge of the substring index), `finish` gives them back to
    /// the file system; a few free pages stay for later writes.
    #[test]
    fn finish_gives_many_free_pages_back() {
        let dir = scratch("free-pages");
        let mut store = Store::open(&dir).expect("store opens");
        let pragma = |s: &Store, name: &str| s.pragma(name).expect("reads");
        assert_eq!(pragma(&store, "auto_vacuum"), 2);
        let fill = |s: &Store, rows: i64| {
            s.conn
                .execute_batch(&format!(
                    "CREATE TABLE scratch AS WITH RECURSIVE n(i) AS \
                     (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
                     SELECT randomblob(4000) AS b FROM n; DROP TABLE scratch;"
                ))
                .expect("fills and drops");
        };
        fill(&store, 100);
        store.finish().expect("finishes");
        let few = pragma(&store, "freelist_count");
        assert!((100..FREE_PAGES_KEPT).contains(&few), "{few}");
        fill(&store, 2 * FREE_PAGES_KEPT);
        assert!(pragma(&store, "freelist_count") >= FREE_PAGES_KEPT);
        store.finish().expect("finishes");
        assert_eq!(pragma(&store, "freelist_count"), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The word index merges sixteen segments at a time while an ingest
    /// writes; an ingest that added much of the index leaves it one
    /// segment, a small one into a large store leaves its own segment.
    #[test]
    fn finish_settles_the_word_index_by_what_the_ingest_added() {
        let dir = scratch("settle");
        let segments = |s: &Store| -> i64 {
            s.conn
                .query_row(
                    "SELECT count(DISTINCT segid) FROM passages_words_idx",
                    [],
                    |r| r.get(0),
                )
                .expect("reads")
        };
        let report = |i: usize| {
            format!(
                "政府工作报告\n各位代表：\n一、2023年工作回顾\n第{i}项数字经济工作。\n推进改革。\n"
            )
        };
        let mut store = Store::open(&dir).expect("store opens");
        let automerge: i64 = store
            .conn
            .query_row(
                "SELECT v FROM passages_words_config WHERE k = 'automerge'",
                [],
                |r| r.get(0),
            )
            .expect("set");
        assert_eq!(automerge, WORD_INDEX_AUTOMERGE);
        // Files added as an ingest adds them, one commit each, with one
        // finish at the end.
        let add = |store: &mut Store, i: usize| {
            let text = report(i);
            let file = gwr_engine::Engine::new()
                .parse_bytes("r.txt", text.as_bytes())
                .expect("parses");
            let rows = FileRows::new(&file, &store.segmenter().expect("segmenter"));
            let name = format!("r{i}.txt");
            store
                .add_rows(
                    Path::new(&name),
                    &content_hash(text.as_bytes()),
                    text.len(),
                    &rows,
                )
                .expect("adds");
        };
        for i in 0..8 {
            add(&mut store, i);
        }
        // One segment a commit: fewer than sixteen are not merged yet.
        assert_eq!(segments(&store), 8);
        store.finish().expect("finishes");
        assert_eq!(segments(&store), 1);
        let hits = |s: &Store| {
            s.search("数字经济", &SearchFilter::default(), 30)
                .expect("searches")
                .len()
        };
        assert_eq!(hits(&store), 8);
        drop(store);
        // A small ingest into the store: its segment stays beside the big one.
        let mut store = Store::open(&dir).expect("store opens again");
        add(&mut store, 8);
        store.finish().expect("finishes");
        assert_eq!(segments(&store), 2);
        assert_eq!(hits(&store), 9);
        // A finish with nothing added leaves the index as it is.
        store.finish().expect("finishes");
        assert_eq!(segments(&store), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An ingest that stops before its last segment is written leaves its
    /// documents past the substring index's mark: a search reads them
    /// meanwhile, and the next open for writing indexes them.
    #[test]
    fn documents_past_the_substring_index_are_found_and_indexed_next() {
        let dir = scratch("unflushed");
        let through = |s: &Store| -> i64 {
            s.conn
                .query_row("SELECT through FROM substr_state", [], |r| r.get(0))
                .expect("reads")
        };
        {
            let mut store = Store::open(&dir).expect("store opens");
            let engine = gwr_engine::Engine::new();
            let file = engine
                .parse_bytes("a.txt", REPORT.as_bytes())
                .expect("parses");
            let rows = FileRows::new(&file, &store.segmenter().expect("segmenter"));
            let hash = content_hash(REPORT.as_bytes());
            let new = [NewFile {
                path: Path::new("a.txt"),
                hash: &hash,
                bytes: REPORT.len(),
                rows: &rows,
            }];
            assert!(matches!(store.add_batch(&new)[..], [Ok(true)]));
            assert_eq!(through(&store), 0);
            // Killed here: nothing runs on drop.
            std::mem::forget(store);
        }
        let found = |s: &Store, q: &str| {
            s.search(q, &SearchFilter::default(), 10)
                .expect("searches")
                .len()
        };
        let read = Store::open_read_only(&dir).expect("opens");
        assert_eq!(through(&read), 0);
        assert_eq!(found(&read, "多跑一"), 1);
        drop(read);
        let store = Store::open(&dir).expect("opens");
        assert_eq!(through(&store), 1);
        assert_eq!(found(&store, "多跑一"), 1);
        assert_eq!(found(&store, "多跑二"), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The SQLite type of each document's stored text.
    fn kinds(store: &Store) -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare("SELECT typeof(text) FROM documents ORDER BY id")
            .expect("prepares");
        stmt.query_map([], |r| r.get(0))
            .expect("reads")
            .collect::<Result<_, _>>()
            .expect("reads")
    }

    /// A version 8 store (plain text, an index reading it) has its text
    /// packed and indexed again: passages, search and exports read as
    /// before.
    #[test]
    fn version_8_stores_have_their_text_packed() {
        let dir = scratch("v8");
        let text = "政府工作报告\n一、2023年工作回顾\n发展数字经济。\n二、2024年工作安排\n深化最多跑一次改革。\n";
        let all = "SELECT id, document_id, section, role, text FROM passages ORDER BY id";
        let before;
        {
            let mut store = Store::open(&dir).expect("store opens");
            sample(&mut store, "a.txt", text);
            before = store.query(all).expect("passages").1;
            store
                .conn
                .execute_batch(&format!(
                    "UPDATE documents SET text = gwr_text(text);
                     DROP VIEW passages; {PASSAGES_VIEW}; {SCHEMA_V8}
                     PRAGMA user_version = 8; PRAGMA auto_vacuum = NONE; VACUUM;"
                ))
                .expect("a version 8 store");
            assert_eq!(kinds(&store), ["text"]);
            assert_eq!(store.pragma("auto_vacuum").expect("reads"), 0);
        }
        let store = Store::open(&dir).expect("migrates");
        assert_eq!(kinds(&store), ["blob"]);
        let vacuum = store.pragma("auto_vacuum").expect("reads");
        assert_eq!(vacuum, 2, "the migration's VACUUM turns on incremental");
        assert_eq!(store.query(all).expect("passages").1, before);
        for q in ["最多跑一次", "跑一次改", "数字经济"] {
            assert_eq!(
                store
                    .search(q, &SearchFilter::default(), 10)
                    .expect(q)
                    .len(),
                1,
                "{q}"
            );
        }
        let whole: String = store
            .conn
            .query_row("SELECT gwr_text(text) FROM documents", [], |r| r.get(0))
            .expect("reads");
        assert!(whole.contains("深化最多跑一次改革"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Version 10's substring index (one row per trigram, no part) is
    /// copied as part 0, and substring search reads it as before.
    #[test]
    fn version_10_substring_rows_become_part_0() {
        let dir = scratch("v10");
        let text = "政府工作报告\n一、2023年工作回顾\n发展数字经济。\n二、2024年工作安排\n深化最多跑一次改革。\n";
        {
            let mut store = Store::open(&dir).expect("store opens");
            sample(&mut store, "a.txt", text);
            store.finish().expect("finishes");
            store
                .conn
                .execute_batch(
                    "CREATE TABLE v10 (seg INTEGER NOT NULL, key INTEGER NOT NULL,
                         docs BLOB NOT NULL, PRIMARY KEY (seg, key)) WITHOUT ROWID;
                     INSERT INTO v10 SELECT seg, key, docs FROM substr_index;
                     DROP TABLE substr_index; ALTER TABLE v10 RENAME TO substr_index;
                     PRAGMA user_version = 10;",
                )
                .expect("a version 10 store");
        }
        let store = Store::open(&dir).expect("migrates");
        let parts: Vec<i64> = store
            .conn
            .prepare("SELECT DISTINCT part FROM substr_index")
            .expect("prepares")
            .query_map([], |r| r.get(0))
            .expect("reads")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(parts, [0]);
        let through: i64 = store
            .conn
            .query_row("SELECT through FROM substr_state", [], |r| r.get(0))
            .expect("reads");
        assert_eq!(through, 1, "the document is in the copied index");
        let hits = store
            .search("跑一次改", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn version_5_stores_keep_their_passages_as_spans() {
        let dir = scratch("v5");
        let text = "政府工作报告\n各位代表：\n一、2023年工作回顾\n  发展数字经济。\n办好民生实事。\n\n办好民生实事。\n二、2024年工作安排\n深化最多跑一次改革。\n";
        let before;
        {
            let mut store = Store::open(&dir).expect("store opens");
            sample(&mut store, "a.txt", text);
            let all = "SELECT id, document_id, section, role, text FROM passages ORDER BY id";
            before = store.query(all).expect("passages").1;
            // The passages table of version 5, holding the text itself.
            store
                .conn
                .execute_batch(
                    "CREATE TABLE p5 AS SELECT id, document_id, section, role, text FROM passages;
                     DROP VIEW passages; DROP TABLE passage_spans;
                     CREATE TABLE passages (
                         id INTEGER PRIMARY KEY,
                         document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                         section TEXT, role TEXT, text TEXT NOT NULL);
                     INSERT INTO passages SELECT * FROM p5; DROP TABLE p5;
                     PRAGMA user_version = 5;",
                )
                .expect("a version 5 store");
        }
        let store = Store::open(&dir).expect("migrates");
        let after = store
            .query("SELECT id, document_id, section, role, text FROM passages ORDER BY id")
            .expect("passages")
            .1;
        assert_eq!(after, before);
        assert!(after.len() >= 7, "{after:?}");
        let hits = store
            .search("最多跑一次", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].text, "深化最多跑一次改革。");
        let hits = store
            .search("跑一次改", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn facts_know_their_place_in_the_document_text() {
        let dir = scratch("places");
        let mut store = Store::open(&dir).expect("store opens");
        sample(&mut store, "a.txt", REPORT);
        let docs = store.documents(&DocQuery::default()).expect("lists");
        let doc = store
            .document(docs.items[0].id)
            .expect("reads")
            .expect("is there");
        let facts = store
            .facts(&RowQuery {
                document: Some(doc.summary.id),
                ..RowQuery::default()
            })
            .expect("reads");
        assert!(!facts.items.is_empty());
        for f in &facts.items {
            let (a, b) = (
                f.text_start.unwrap_or(0) as usize,
                f.text_end.unwrap_or(0) as usize,
            );
            let marked: String = doc.text.chars().skip(a).take(b - a).collect();
            assert_eq!(marked, f.evidence);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The rows of the sample report, once for each line added to its end.
    fn report_rows(store: &Store, ends: &[&str]) -> Vec<FileRows> {
        let engine = gwr_engine::Engine::new();
        let seg = store.segmenter().expect("segmenter");
        ends.iter()
            .map(|t| {
                let text = format!("{REPORT}{t}\n");
                let file = engine
                    .parse_bytes("x.txt", text.as_bytes())
                    .expect("parses");
                FileRows::new(&file, &seg)
            })
            .collect()
    }

    #[test]
    fn batches_keep_files_whole_and_skip_duplicates() {
        let dir = scratch("batch");
        let mut store = Store::open(&dir).expect("store opens");
        let rows = report_rows(&store, &["甲", "乙"]);
        let files = [
            NewFile {
                path: Path::new("a.txt"),
                hash: "h1",
                bytes: 1,
                rows: &rows[0],
            },
            NewFile {
                path: Path::new("b.txt"),
                hash: "h2",
                bytes: 1,
                rows: &rows[1],
            },
            NewFile {
                path: Path::new("c.txt"),
                hash: "h1",
                bytes: 1,
                rows: &rows[0],
            },
        ];
        let results: Vec<bool> = store
            .add_batch(&files)
            .into_iter()
            .map(|r| r.expect("adds"))
            .collect();
        assert_eq!(results, [true, true, false]);
        let (_, n) = store
            .query("SELECT COUNT(*) FROM documents")
            .expect("query");
        assert_eq!(n, [vec![serde_json::json!(2)]]);
        store.check().expect("consistent");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A batch is one segment of the word index, however many new labels
    /// its facts bring: writing a label must not make FTS5 write out its
    /// pending rows early (it does at a statement savepoint).
    #[test]
    fn new_labels_leave_the_word_index_one_segment_a_batch() {
        let dir = scratch("labels-segments");
        let mut store = Store::open(&dir).expect("store opens");
        let mut rows = report_rows(&store, &["甲", "乙"]);
        rows[1].facts[0].metric = "一个新的指标".into();
        let files: Vec<NewFile<'_>> = rows
            .iter()
            .zip(["h1", "h2"])
            .map(|(rows, hash)| NewFile {
                path: Path::new("x.txt"),
                hash,
                bytes: 1,
                rows,
            })
            .collect();
        assert!(store.add_batch(&files).iter().all(|r| r.is_ok()));
        let segments: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(DISTINCT segid) FROM passages_words_idx",
                [],
                |r| r.get(0),
            )
            .expect("counts");
        assert_eq!(segments, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A label coded by a transaction that is rolled back is not used
    /// again: the batch that failed dropped it with its codes.
    #[test]
    fn labels_of_a_failed_batch_are_not_kept() {
        let dir = scratch("labels-rollback");
        let mut store = Store::open(&dir).expect("store opens");
        let mut rows = report_rows(&store, &["甲", "乙", "丙"]);
        // The second file's first fact has a new metric name and names a
        // document the file does not have: its insert fails, after the
        // name was given a code.
        rows[1].facts[0].metric = "一个新的指标".into();
        rows[1].facts[0].part = 99;
        rows[2].facts[0].metric = "一个新的指标".into();
        fn file<'a>(path: &'a str, hash: &'a str, rows: &'a FileRows) -> NewFile<'a> {
            NewFile {
                path: Path::new(path),
                hash,
                bytes: 1,
                rows,
            }
        }
        let results =
            store.add_batch(&[file("a.txt", "h1", &rows[0]), file("b.txt", "h2", &rows[1])]);
        assert!(results[0].is_ok() && results[1].is_err(), "{results:?}");
        assert!(store.add_batch(&[file("c.txt", "h3", &rows[2])])[0].is_ok());
        store.check().expect("every code has its label");
        let (_, named) = store
            .query("SELECT COUNT(*) FROM facts WHERE metric = '一个新的指标'")
            .expect("query");
        assert_eq!(named, [vec![serde_json::json!(1)]]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn version_2_stores_gain_the_word_index() {
        let dir = scratch("v2");
        std::fs::create_dir_all(&dir).expect("dir");
        {
            let conn = Connection::open(dir.join("gwr.sqlite")).expect("opens");
            conn.execute_batch(SCHEMA).expect("v1");
            conn.execute_batch(SCHEMA_V2).expect("v2");
            conn.execute_batch(
                "INSERT INTO files (hash, path, name, format, encoding, bytes, ingested_at)
                 VALUES ('h', 'a.txt', 'a.txt', 'text', 'UTF-8', 1, '0');
                 INSERT INTO documents (file_id, part, doc_type, chars, text)
                 VALUES (1, 1, 'government_work_report', 12, '深化最多跑一次改革，办好民生实事。');
                 INSERT INTO passages (document_id, text) VALUES (1, '深化最多跑一次改革，办好民生实事。');
                 INSERT INTO passages_fts (rowid, text) VALUES (1, '深化最多跑一次改革，办好民生实事。');
                 PRAGMA user_version = 2;",
            )
            .expect("old store");
        }
        let refused = Store::open_read_only(&dir).err().map(|e| e.to_string());
        assert!(
            refused
                .as_deref()
                .is_some_and(|e| e.contains("run gwr ingest")),
            "{refused:?}"
        );
        drop(Store::open(&dir).expect("migrates"));
        assert!(
            dir.join("gwr.sqlite.bak").is_file(),
            "a backup before migrating"
        );
        let store = Store::open_read_only(&dir).expect("opens");
        let hits = store
            .search("最多跑一次", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].matched, "word");
        let hits = store
            .search("跑一次改", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].matched, "substring");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn passages_are_spans_of_the_text_kept_once() {
        let dir = scratch("spans");
        let mut store = Store::open(&dir).expect("store opens");
        let text = "政府工作报告\n  各位代表：\n一、2023年工作回顾\n全年实现地区生产总值100亿元，增长5%。\n\n  办好十件民生实事。  \n";
        let h = sample(&mut store, "a.txt", text);
        assert!(store.has(&h).expect("query"));
        let (_, rows) = store
            .query("SELECT text FROM passages ORDER BY id")
            .expect("view");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::json!(l))
            .collect();
        let got: Vec<serde_json::Value> = rows.into_iter().map(|mut r| r.remove(0)).collect();
        assert_eq!(got, lines);
        // The reader cuts the same passages from the text it has read.
        let doc = store.document(1).expect("reads").expect("a document");
        let read: Vec<&str> = doc.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            read,
            got.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>()
        );
        // No table holds the passages' text a second time.
        let (_, tables) = store
            .query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'passages'")
            .expect("schema");
        assert!(tables.is_empty());
        let hits = store
            .search("民生实事", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].text, "办好十件民生实事。");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn other_databases_are_refused_and_left_alone() {
        let dir = scratch("foreign");
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("gwr.sqlite");
        {
            let conn = Connection::open(&path).expect("opens");
            conn.execute_batch("CREATE TABLE accounts (id INTEGER, owner TEXT);")
                .expect("someone else's table");
        }
        let before = std::fs::read(&path).expect("reads");
        for r in [Store::open_read_only(&dir).err(), Store::open(&dir).err()] {
            assert!(matches!(r, Some(StoreError::Foreign(_))), "{r:?}");
        }
        assert_eq!(std::fs::read(&path).expect("reads"), before, "not modified");
        assert!(
            !dir.join("gwr.sqlite-wal").exists(),
            "journal mode untouched"
        );
        // Not SQLite at all.
        std::fs::write(&path, "just some text, not a database\n".repeat(200)).expect("writes");
        for r in [Store::open_read_only(&dir).err(), Store::open(&dir).err()] {
            assert!(matches!(r, Some(StoreError::Foreign(_))), "{r:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn damaged_stores_are_refused() {
        let dir = scratch("damaged");
        {
            let mut store = Store::open(&dir).expect("store opens");
            sample(&mut store, "a.txt", REPORT);
            store
                .conn
                .execute_batch(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000)
                     INSERT INTO errors (path, message, at)
                     SELECT 'f' || x || '.txt', printf('%.200c', 'x'), '0' FROM c;",
                )
                .expect("fills pages");
        }
        let path = dir.join("gwr.sqlite");
        let len = std::fs::metadata(&path).expect("a file").len();
        assert!(len > 200_000, "{len}");
        scramble_middle(&path, 16384);
        for r in [Store::open_read_only(&dir).err(), Store::open(&dir).err()] {
            assert!(matches!(r, Some(StoreError::Damaged(_))), "{r:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The quick check's record: a store whose files have not changed
    /// since it passed is not read again on open (so damage that keeps a
    /// file's length and time is found only by `gwr check`); any change to
    /// the files brings the check back.
    #[test]
    fn a_store_that_passed_is_checked_again_only_once_changed() {
        let dir = stored("checked");
        let store = Store::open_read_only(&dir).expect("opens");
        assert!(store.checked());
        let record = std::fs::read_to_string(dir.join(CHECKED_FILE)).expect("a record");
        assert_eq!(Some(record), store.stamp());
        drop(store);
        let path = dir.join("gwr.sqlite");
        let when = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("a time");
        scramble_middle(&path, 8192);
        set_time(&path, when);
        assert!(Store::open_read_only(&dir).is_ok(), "the record is trusted");
        set_time(&path, when + Duration::from_secs(1));
        let r = Store::open_read_only(&dir).err();
        assert!(matches!(r, Some(StoreError::Damaged(_))), "{r:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A record longer than any real one is read only in part, never
    /// matches, and is replaced once the check passes.
    #[test]
    fn a_long_record_is_checked_and_replaced() {
        let dir = stored("long-record");
        let stamp = Store::open_read_only(&dir)
            .expect("opens")
            .stamp()
            .expect("a stamp");
        let long = format!("{stamp}{}", "x".repeat(RECORD_MAX_BYTES as usize * 4));
        std::fs::write(dir.join(CHECKED_FILE), &long).expect("writes");
        assert!(
            read_record(&dir.join(CHECKED_FILE))
                .is_some_and(|r| r.len() as u64 <= RECORD_MAX_BYTES)
        );
        let store = Store::open_read_only(&dir).expect("opens");
        assert!(store.checked());
        let record = std::fs::read_to_string(dir.join(CHECKED_FILE)).expect("a record");
        assert_eq!(record, stamp);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn errors_are_logged_once() {
        let dir = scratch("errors");
        let store = Store::open(&dir).expect("store opens");
        for _ in 0..3 {
            store
                .log_error(Path::new("bad.txt"), "empty file")
                .expect("logs");
        }
        store
            .log_error(Path::new("bad.txt"), "binary data")
            .expect("logs");
        let (_, n) = store.query("SELECT COUNT(*) FROM errors").expect("query");
        assert_eq!(n, [vec![serde_json::json!(2)]]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn queries_stop_at_their_time_limit() {
        let dir = scratch("limit");
        drop(Store::open(&dir).expect("store opens"));
        let store = Store::open_read_only(&dir).expect("opens");
        let started = Instant::now();
        let r = store.within(Duration::from_millis(300), |s| {
            s.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c")
        });
        assert!(matches!(r, Err(StoreError::TimedOut(_))), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        // The limit ends with the call.
        assert!(store.query("SELECT 1").is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn substring_hits_come_newest_first_from_the_documents_that_hold_them() {
        let dir = scratch("substring");
        let mut store = Store::open(&dir).expect("store opens");
        for year in [2019, 2023, 2021] {
            let text = format!(
                "政府工作报告\n各位代表：\n一、{year}年工作回顾\n深化“最多跑一次”改革，全市GDP增长5%。\n\
                 二、{}年主要任务\n推进“最多跑一次”改革向纵深发展。\n",
                year + 1
            );
            sample(&mut store, &format!("r{year}.txt"), &text);
        }
        let hits = store
            .search("跑一次 gdp", &SearchFilter::default(), 10)
            .expect("searches");
        let years: Vec<Option<i64>> = hits.iter().map(|h| h.plan_year).collect();
        assert_eq!(years, [Some(2024), Some(2022), Some(2020)]);
        assert!(hits.iter().all(|h| h.matched == "substring"));
        assert!(hits[0].snippet.contains("【GDP】"), "{}", hits[0].snippet);
        // Each document gives its passages in the order of its text.
        let hits = store
            .search("跑一次", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 6);
        assert!(
            hits.windows(2)
                .all(|w| (w[0].plan_year, -w[0].passage_id) >= (w[1].plan_year, -w[1].passage_id))
        );
        // Filters on the document and on the passage's role.
        let filter = SearchFilter {
            year: Some(2022),
            ..SearchFilter::default()
        };
        let hits = store.search("跑一次", &filter, 10).expect("searches");
        assert_eq!(hits.len(), 2);
        let role = hits[1].role.clone();
        assert!(role.is_some());
        let filter = SearchFilter {
            role: role.clone(),
            ..SearchFilter::default()
        };
        let hits = store.search("跑一次", &filter, 10).expect("searches");
        assert_eq!(hits.len(), 3);
        assert!(hits.iter().all(|h| h.role == role));
        // The limit stops the reading.
        let hits = store
            .search("跑一次", &SearchFilter::default(), 4)
            .expect("searches");
        assert_eq!(hits.len(), 4);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn searches_are_bounded() {
        let dir = scratch("search-bound");
        let mut store = Store::open(&dir).expect("store opens");
        sample(&mut store, "a.txt", REPORT);
        store
            .conn
            .execute_batch(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 20000)
                 INSERT INTO passage_spans (document_id, start, chars) SELECT 1, x % 50, 8 FROM c;",
            )
            .expect("passages");
        let many = vec!["经"; 33].join(" ");
        let e = store.search(&many, &SearchFilter::default(), 10).err();
        assert!(e.is_some_and(|e| e.to_string().contains("at most 32")));
        let long = "经".repeat(1001);
        let e = store.search(&long, &SearchFilter::default(), 10).err();
        assert!(e.is_some_and(|e| e.to_string().contains("too long")));
        // The text holds the term, and 20,000 passages are cut out of it
        // and tested (only the real one holds it): bounded by the time limit.
        let r = store.search_within("元 亿", &SearchFilter::default(), 10, Duration::ZERO);
        assert!(matches!(r, Err(StoreError::TimedOut(_))), "{r:?}");
        let hits = store
            .search("元 亿", &SearchFilter::default(), 10)
            .expect("searches");
        assert_eq!(hits.len(), 1);
        // A term the text does not hold reads no passage at all.
        let hits = store
            .search("展 济 x", &SearchFilter::default(), 10)
            .expect("searches");
        assert!(hits.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn parquet_export_has_typed_columns_and_every_row() {
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = scratch("parquet");
        let mut store = Store::open(&dir).expect("store opens");
        sample(&mut store, "a.txt", REPORT);
        let path = dir.join("facts.parquet");
        let file = std::fs::File::create(&path).expect("creates");
        let n = store.export_parquet("facts", file).expect("exports");
        assert!(n >= 1);
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).expect("opens"))
                .expect("parquet")
                .build()
                .expect("reader");
        let mut rows = 0;
        for batch in reader {
            let batch = batch.expect("batch");
            rows += batch.num_rows();
            let schema = batch.schema();
            let field = |name: &str| schema.field_with_name(name).map(|f| f.data_type().clone());
            assert_eq!(field("value").ok(), Some(arrow_schema::DataType::Float64));
            assert_eq!(field("year").ok(), Some(arrow_schema::DataType::Int64));
            assert_eq!(field("metric").ok(), Some(arrow_schema::DataType::Utf8));
        }
        assert_eq!(rows as u64, n);
        assert!(store.export_parquet("nope", Vec::new()).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A query's columns without a declared type (the facts view's
    /// figures, computed columns) take the type their values have, not
    /// the first row's alone.
    #[test]
    fn query_parquet_types_undeclared_columns_by_their_values() {
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = scratch("parquet-query");
        let mut store = Store::open(&dir).expect("store opens");
        sample(&mut store, "a.txt", TARGETS_REPORT);
        let path = dir.join("q.parquet");
        let out = std::fs::File::create(&path).expect("creates");
        let (n, more) = store
            .query_parquet(
                "SELECT iif(id = (SELECT min(id) FROM facts), NULL, value) AS v, value, year, \
                 metric, iif(id % 2 = 0, 1, 'odd') AS mixed FROM facts ORDER BY id",
                100,
                out,
            )
            .expect("writes");
        assert!(n >= 2 && !more, "{n} {more}");
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).expect("opens"))
                .expect("parquet");
        let schema = reader.schema().clone();
        let field = |name: &str| {
            schema
                .field_with_name(name)
                .map(|f| f.data_type().clone())
                .ok()
        };
        assert_eq!(field("v"), Some(arrow_schema::DataType::Float64));
        assert_eq!(field("value"), Some(arrow_schema::DataType::Float64));
        assert_eq!(field("year"), Some(arrow_schema::DataType::Int64));
        assert_eq!(field("metric"), Some(arrow_schema::DataType::Utf8));
        assert_eq!(field("mixed"), Some(arrow_schema::DataType::Utf8));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The text is stored packed; an export reads it as text.
    #[test]
    fn exports_read_the_packed_text() {
        use arrow_array::Array;
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = scratch("packed-export");
        let mut store = Store::open(&dir).expect("store opens");
        sample(&mut store, "a.txt", REPORT);
        assert_eq!(kinds(&store), ["blob"]);
        let sql = store.export_query("documents").expect("a query");
        let (_, rows) = store.query(&sql).expect("exports");
        let text = rows[0].last().and_then(|v| v.as_str()).unwrap_or_default();
        assert!(text.contains("地区生产总值"), "{text}");
        let path = dir.join("documents.parquet");
        let file = std::fs::File::create(&path).expect("creates");
        store.export_parquet("documents", file).expect("exports");
        let batch =
            ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).expect("opens"))
                .expect("parquet")
                .build()
                .expect("reader")
                .next()
                .expect("a batch")
                .expect("reads");
        let column = batch.column_by_name("text").expect("text column");
        let texts = column
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .expect("strings");
        assert_eq!(texts.value(0), text);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
