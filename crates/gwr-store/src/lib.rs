//! The corpus store: an embedded SQLite database (`DIR/gwr.sqlite`) with the
//! tables `files`, `documents`, `sections`, `facts`, `targets`,
//! `commitments`, `terms` and `errors` (schema in `schema.sql`).
//!
//! Each file is written in one transaction keyed by the SHA-256 of its bytes,
//! so re-ingesting changes nothing, an interrupted ingest leaves only whole
//! files behind, and the next run adds what is missing. The database runs in
//! WAL mode, so readers can query while an ingest writes.

pub mod analyses;

use gwr_engine::ParsedFile;
use gwr_engine::records::{commitment_records, doc_records, fact_records, target_records};
use rusqlite::{Connection, OpenFlags, params};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_V2: &str = include_str!("schema_v2.sql");
/// Schema version; `migrate` brings older stores up to it.
pub const SCHEMA_VERSION: i64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("store: {0}")]
    Io(#[from] std::io::Error),
    #[error("store: {0}")]
    Other(String),
}

/// An open store.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
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
    /// Open (creating and migrating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join("gwr.sqlite"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let store = Store {
            conn,
            dir: dir.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Open an existing store read-only (for queries while an ingest runs).
    pub fn open_read_only(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join("gwr.sqlite");
        if !path.exists() {
            return Err(StoreError::Other(format!(
                "no store at {} (run gwr ingest first)",
                dir.display()
            )));
        }
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < SCHEMA_VERSION {
            // An older store: bring it up to date once, then read.
            drop(conn);
            drop(Store::open(dir)?);
            return Store::open_read_only(dir);
        }
        Ok(Store {
            conn,
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn migrate(&self) -> Result<(), StoreError> {
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
            let mut stmt = self.conn.prepare("SELECT id, text FROM documents")?;
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
        // Later versions add their steps here, each bumping user_version.
        self.conn
            .pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(())
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

    /// Record a file that could not be read.
    pub fn log_error(&self, path: &Path, message: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO errors (path, message, at) VALUES (?1, ?2, ?3)",
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
        let tx = self.conn.transaction()?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO files (hash, path, name, format, encoding, bytes, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                hash,
                path.display().to_string(),
                file.name,
                format!("{:?}", file.prepared.format).to_lowercase(),
                file.prepared.encoding,
                bytes as i64,
                now()
            ],
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        let file_id = tx.last_insert_rowid();
        let mut doc_ids = Vec::new();
        for (d, r) in file.documents.iter().zip(doc_records(file)) {
            let text = file.text().get(d.span.clone()).unwrap_or_default();
            tx.execute(
                "INSERT INTO documents (file_id, part, doc_type, title, region, region_code, region_path, level,
                 speaker, speaker_title, meeting, date, review_year, plan_year, inferred, chars, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
                    file_id,
                    r.part as i64,
                    r.doc_type,
                    r.title,
                    r.region,
                    r.region_code,
                    r.region_path.as_ref().and_then(|p| serde_json::to_string(p).ok()),
                    r.level,
                    r.speaker,
                    r.speaker_title,
                    r.meeting,
                    r.date,
                    r.review_year,
                    r.plan_year,
                    serde_json::to_string(&r.inferred).ok(),
                    text.chars().count() as i64,
                    text
                ],
            )?;
            let doc_id = tx.last_insert_rowid();
            doc_ids.push(doc_id);
            let mut pos = d.span.start;
            for line in text.split_inclusive('\n') {
                let at = pos;
                pos += line.len();
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                let section = d.section_at(at).map(|i| d.sections[i].id.clone());
                tx.execute(
                    "INSERT INTO passages (document_id, section, role, text) VALUES (?1, ?2, ?3, ?4)",
                    params![doc_id, section, d.role_at(at).map(|r| r.as_str()), line],
                )?;
                tx.execute(
                    "INSERT INTO passages_fts (rowid, text) VALUES (last_insert_rowid(), ?1)",
                    [line],
                )?;
            }
            for s in &d.sections {
                tx.execute(
                    "INSERT INTO sections (document_id, sid, level, title, role) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![doc_id, s.id, s.level as i64, s.title, s.role.map(|r| r.as_str())],
                )?;
                if s.role == Some(gwr_engine::Role::GlossaryEntry) {
                    let def = file
                        .text()
                        .get(s.heading.end..s.span.end)
                        .unwrap_or_default()
                        .trim_start_matches(['：', ':'])
                        .trim();
                    tx.execute(
                        "INSERT INTO terms (document_id, term, definition) VALUES (?1, ?2, ?3)",
                        params![doc_id, s.title, def],
                    )?;
                }
            }
        }
        let doc_of = |part: usize| doc_ids.get(part.saturating_sub(1)).copied().unwrap_or(0);
        for f in fact_records(file) {
            let c = f.change.as_ref();
            let s = |v: Option<String>| v;
            tx.execute(
                "INSERT INTO facts (document_id, metric_id, metric, kind, year, year_from, year_to, value, unit,
                 value_base, base_unit, qualifier, lo, hi, stretch, change_type, change_value, change_qualifier,
                 change_lo, change_hi, change_stretch, section, role, evidence, source_start, source_end)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                 ?21, ?22, ?23, ?24, ?25, ?26)",
                params![
                    doc_of(f.part),
                    f.metric_id,
                    f.metric,
                    name(&f.kind),
                    f.year,
                    f.years.map(|y| y[0]),
                    f.years.map(|y| y[1]),
                    f.value,
                    f.unit,
                    f.value_base,
                    f.base_unit,
                    s(f.qualifier.map(|q| name(&q))),
                    f.lo,
                    f.hi,
                    f.stretch,
                    c.map(|c| name(&c.kind)),
                    c.and_then(|c| c.value),
                    c.and_then(|c| c.qualifier.map(|q| name(&q))),
                    c.and_then(|c| c.lo),
                    c.and_then(|c| c.hi),
                    c.and_then(|c| c.stretch),
                    f.section,
                    f.role,
                    f.evidence,
                    f.source_span[0] as i64,
                    f.source_span[1] as i64
                ],
            )?;
        }
        for t in target_records(file) {
            let c = t.change.as_ref();
            tx.execute(
                "INSERT INTO targets (document_id, metric_id, metric, year, year_from, year_to, value, unit,
                 change_type, change_value, comparator, wording, qualitative, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    doc_of(t.part),
                    t.metric_id,
                    t.metric,
                    t.year,
                    t.years.map(|y| y[0]),
                    t.years.map(|y| y[1]),
                    t.value,
                    t.unit,
                    c.map(|c| name(&c.kind)),
                    c.and_then(|c| c.value.or(c.lo)),
                    t.comparator,
                    name(&t.wording),
                    t.qualitative,
                    t.evidence
                ],
            )?;
        }
        for c in commitment_records(file) {
            tx.execute(
                "INSERT INTO commitments (document_id, kind, stage, idx, title, text, figures, announced)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    doc_of(c.part),
                    name(&c.kind),
                    name(&c.stage),
                    c.index.map(|i| i as i64),
                    c.title,
                    c.text,
                    serde_json::to_string(&c.figures).unwrap_or_else(|_| "[]".into()),
                    c.announced
                ],
            )?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Run a read-only query; returns column names and rows as JSON values.
    pub fn query(
        &self,
        sql: &str,
    ) -> Result<(Vec<String>, Vec<Vec<serde_json::Value>>), StoreError> {
        let mut stmt = self.conn.prepare(sql)?;
        if !stmt.readonly() {
            return Err(StoreError::Other(
                "only read-only statements are allowed".into(),
            ));
        }
        let cols: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let n = cols.len();
        let rows = stmt
            .query_map([], |row| {
                (0..n)
                    .map(|i| {
                        Ok(match row.get_ref(i)? {
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
                    .collect::<Result<Vec<_>, rusqlite::Error>>()
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((cols, rows))
    }

    /// Check the store's integrity (SQLite's own check plus our invariants).
    pub fn check(&self) -> Result<(), StoreError> {
        let ok: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(StoreError::Other(format!("integrity check: {ok}")));
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

/// The serde name of an enum value (actual, growth_pct, …).
fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
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

/// Filters of a search.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Region name or GB/T 2260 code.
    pub region: Option<String>,
    /// Plan year of the report.
    pub year: Option<i32>,
    /// Section role (review, tasks, …).
    pub role: Option<String>,
    /// Document type (government_work_report, …).
    pub doc_type: Option<String>,
}

/// A search hit: a passage with its document and a highlighted snippet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub file: String,
    pub part: i64,
    pub region: Option<String>,
    pub plan_year: Option<i64>,
    pub role: Option<String>,
    pub section: Option<String>,
    pub score: f64,
    pub snippet: String,
}

/// The passage text around the first hit, hits marked 【…】.
fn snippet(text: &str, terms: &[String]) -> String {
    let first = terms
        .iter()
        .filter_map(|t| text.find(t.as_str()))
        .min()
        .unwrap_or(0);
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(30)
        .map_or(0, |(i, _)| i);
    let end = text[first..]
        .char_indices()
        .nth(60)
        .map_or(text.len(), |(i, _)| first + i);
    let mut s = text[start..end].to_string();
    for t in terms {
        s = s.replace(t.as_str(), &format!("【{t}】"));
    }
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    format!("{lead}{s}{tail}")
}

impl Store {
    /// Full-text search: every term (whitespace-separated; quotes keep a
    /// phrase) must occur in the passage. Terms of three or more characters
    /// use the index and rank by BM25; shorter ones are substring checks.
    pub fn search(
        &self,
        query: &str,
        filter: &SearchFilter,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        let terms: Vec<String> = query
            .split_whitespace()
            .map(|t| t.trim_matches(['"', '“', '”']).to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let long: Vec<&String> = terms.iter().filter(|t| t.chars().count() >= 3).collect();
        let mut sql = String::from(
            "SELECT f.name, d.part, d.region, d.plan_year, p.role, p.section, p.text, ",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if long.is_empty() {
            sql.push_str("0.0 FROM passages p ");
        } else {
            sql.push_str("bm25(passages_fts) FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid ");
        }
        sql.push_str("JOIN documents d ON d.id = p.document_id JOIN files f ON f.id = d.file_id WHERE 1 = 1 ");
        if !long.is_empty() {
            let m: Vec<String> = long
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "")))
                .collect();
            sql.push_str("AND passages_fts MATCH ? ");
            args.push(m.join(" AND ").into());
        }
        for t in terms.iter().filter(|t| t.chars().count() < 3) {
            sql.push_str("AND instr(p.text, ?) > 0 ");
            args.push(t.clone().into());
        }
        if let Some(r) = &filter.region {
            sql.push_str("AND (d.region = ? OR d.region_code = ?) ");
            args.push(r.clone().into());
            args.push(r.clone().into());
        }
        if let Some(y) = filter.year {
            sql.push_str("AND d.plan_year = ? ");
            args.push(i64::from(y).into());
        }
        if let Some(r) = &filter.role {
            sql.push_str("AND p.role = ? ");
            args.push(r.clone().into());
        }
        if let Some(t) = &filter.doc_type {
            sql.push_str("AND d.doc_type = ? ");
            args.push(t.clone().into());
        }
        sql.push_str(if long.is_empty() {
            "ORDER BY d.plan_year DESC, p.id "
        } else {
            "ORDER BY 8 "
        });
        sql.push_str("LIMIT ?");
        args.push((limit as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let hits = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                let text: String = r.get(6)?;
                let bm25: f64 = r.get(7)?;
                Ok(Hit {
                    file: r.get(0)?,
                    part: r.get(1)?,
                    region: r.get(2)?,
                    plan_year: r.get(3)?,
                    role: r.get(4)?,
                    section: r.get(5)?,
                    score: if bm25 == 0.0 { 0.0 } else { -bm25 },
                    snippet: snippet(&text, &terms),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gwr-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
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
        assert!(store.query("DELETE FROM facts").is_err());
        store.check().expect("consistent");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
