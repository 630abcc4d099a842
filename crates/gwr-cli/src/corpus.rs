//! Corpus commands: ingest into the store, query it, export its tables.

use crate::{ExportFormat, ListFormat, inputs, lists};
use gwr_engine::Engine;
use gwr_store::{Store, content_hash};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A file parsed for the store: its hash, size and rows, or `None` when the
/// store holds it already.
type Parsed = Result<Option<(String, usize, gwr_store::FileRows)>, String>;

/// Parse new files in parallel batches and add each in its own transaction;
/// the next batch is parsed while the writer stores the last one.
pub fn ingest(
    paths: &[PathBuf],
    walk: inputs::Walk,
    db: &Path,
    terms: Option<&Path>,
    quiet: bool,
) -> ExitCode {
    let mut store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gwr: {}: {e}", inputs::shown(db));
            return ExitCode::from(1);
        }
    };
    if !store.checked() {
        eprintln!(
            "gwr: {}: a large store: quick integrity check skipped (gwr check runs the full one)",
            inputs::shown(db)
        );
    }
    if let Some(t) = terms {
        let words = match std::fs::read_to_string(t) {
            Ok(text) => gwr_store::segment::parse_terms(&text),
            Err(e) => {
                eprintln!("gwr: {}: {e}", inputs::shown(t));
                return ExitCode::from(2);
            }
        };
        match store.add_terms(&words) {
            Ok(n) => eprintln!("gwr: {n} new word(s) in the store's lexicon"),
            Err(e) => {
                eprintln!("gwr: {}: {e}", inputs::shown(db));
                return ExitCode::from(1);
            }
        }
    }
    let segmenter = match store.segmenter() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gwr: {}: {e}", inputs::shown(db));
            return ExitCode::from(1);
        }
    };
    let engine = Engine::new();
    let known_hashes = store.hashes().unwrap_or_default();
    let (files, failures) = inputs::collect(paths, walk);
    for f in &failures {
        eprintln!("gwr: {f}");
    }
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files · {per_sec} · ETA {eta} {msg}",
        ) {
            b.set_style(style);
        }
        b
    };
    let (mut added, mut known, mut failed) = (0usize, 0usize, 0usize);
    let parse_batch = |batch: &[PathBuf]| -> Vec<(PathBuf, Parsed)> {
        batch
            .par_iter()
            .map(|path| {
                let result = (|| {
                    let bytes = inputs::read(path)?;
                    let hash = content_hash(&bytes);
                    if known_hashes.contains(&hash) {
                        return Ok(None);
                    }
                    let name = inputs::display_name(path);
                    let budget = walk.budget(bytes.len());
                    let rows = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        engine
                            .parse_bytes_within(&name, &bytes, &budget)
                            .map(|file| gwr_store::FileRows::new(&file, &segmenter))
                    }))
                    .map_err(|_| {
                        "internal error while parsing (please report this file)".to_string()
                    })?
                    .map_err(|e| e.to_string())?;
                    Ok(Some((hash, bytes.len(), rows)))
                })();
                (path.clone(), result)
            })
            .collect()
    };
    let mut write_batch = |parsed: Vec<(PathBuf, Parsed)>| {
        let mut new = Vec::new();
        for (path, result) in &parsed {
            match result {
                Ok(Some((hash, len, rows))) => new.push(gwr_store::NewFile {
                    path,
                    hash,
                    bytes: *len,
                    rows,
                }),
                Ok(None) => known += 1,
                Err(e) => {
                    failed += 1;
                    let _ = store.log_error(path, e);
                    bar.suspend(|| eprintln!("gwr: {}: {e}", inputs::shown(path)));
                }
            }
        }
        for (f, r) in new.iter().zip(store.add_batch(&new)) {
            match r {
                Ok(true) => added += 1,
                Ok(false) => known += 1,
                Err(e) => {
                    failed += 1;
                    bar.suspend(|| eprintln!("gwr: {}: {e}", inputs::shown(f.path)));
                }
            }
        }
        bar.inc(parsed.len() as u64);
    };
    let mut batches = inputs::write_batches(&files).into_iter();
    let mut pending = batches.next().map(&parse_batch);
    while let Some(parsed) = pending.take() {
        let next = batches.next();
        let ((), following) = rayon::join(|| write_batch(parsed), || next.map(&parse_batch));
        pending = following;
    }
    bar.finish_and_clear();
    if let Err(e) = store.finish() {
        // The documents are stored; the next ingest indexes them and
        // merges the word index, and search reads them meanwhile.
        eprintln!(
            "gwr: {}: the documents are stored, but the indexes' upkeep after the ingest failed ({e}); the next ingest does it",
            inputs::shown(db)
        );
    }
    eprintln!(
        "gwr: {added} file(s) added, {known} already in the store, {failed} failed ({})",
        inputs::shown(db)
    );
    if added + known == 0 && (failed > 0 || !failures.is_empty() || files.is_empty()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn open(db: &Path) -> Result<Store, ExitCode> {
    match Store::open_read_only(db) {
        Ok(store) => Ok(store),
        Err(e) => {
            eprintln!("gwr: {}: {e}", inputs::shown(db));
            Err(ExitCode::from(1))
        }
    }
}

/// Stream a query's rows to `out` in `format`, at most `max_rows` of them
/// (0: all). Returns the rows written and whether rows were left out.
fn stream_rows<W: std::io::Write>(
    store: &Store,
    sql: &str,
    out: W,
    format: ListFormat,
    max_rows: u64,
    keep: impl Fn(&[serde_json::Value]) -> bool,
) -> Result<(u64, bool), gwr_store::StoreError> {
    let writer: std::cell::RefCell<Option<lists::RowWriter<W>>> = std::cell::RefCell::new(None);
    let out = std::cell::RefCell::new(Some(out));
    let (mut n, mut cut) = (0u64, false);
    store.query_rows(
        sql,
        |cols| {
            if let Some(o) = out.borrow_mut().take() {
                *writer.borrow_mut() = Some(lists::RowWriter::new(o, format, cols)?);
            }
            Ok(())
        },
        |row| {
            if !keep(&row) {
                return Ok(true);
            }
            if max_rows > 0 && n >= max_rows {
                cut = true;
                return Ok(false);
            }
            n += 1;
            if let Some(w) = writer.borrow_mut().as_mut() {
                w.row(row)?;
            }
            Ok(true)
        },
    )?;
    if let Some(w) = writer.into_inner() {
        w.finish()?;
    }
    Ok((n, cut))
}

/// Exit code and message of a streamed query's result.
fn streamed(result: Result<(u64, bool), gwr_store::StoreError>, hint: &str) -> ExitCode {
    match result {
        Ok((n, true)) => {
            eprintln!("gwr: output cut after {n} row(s) (--max-rows)");
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(gwr_store::StoreError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(gwr_store::StoreError::Io(e)) => {
            eprintln!("gwr: cannot write output: {e}");
            ExitCode::from(1)
        }
        Err(e @ gwr_store::StoreError::TimedOut(_)) => {
            eprintln!("gwr: {e}{hint}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("gwr: {e}");
            ExitCode::from(1)
        }
    }
}

/// Run a read-only query, streaming its rows, within `timeout` seconds (0:
/// no limit) and at most `max_rows` rows (0: all).
pub fn sql(query: &str, db: &Path, format: ListFormat, timeout: u64, max_rows: u64) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let limit = if timeout == 0 {
        std::time::Duration::MAX
    } else {
        std::time::Duration::from_secs(timeout)
    };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = store.within(limit, |s| {
        stream_rows(s, query, out, format, max_rows, |_| true)
    });
    streamed(result, "; give more time with --timeout SECONDS")
}

/// Export one table to standard output or a file, row by row.
pub fn export(table: &str, db: &Path, format: ExportFormat, out: Option<&Path>) -> ExitCode {
    if !gwr_store::TABLES.contains(&table) {
        eprintln!(
            "gwr: no table {table:?} (tables: {})",
            gwr_store::TABLES.join(", ")
        );
        return ExitCode::from(2);
    }
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if format == ExportFormat::Parquet {
        use std::io::IsTerminal;
        let result = match out {
            Some(path) => std::fs::File::create(path)
                .map_err(|e| format!("{}: {e}", inputs::shown(path)))
                .and_then(|f| {
                    store
                        .export_parquet(table, std::io::BufWriter::new(f))
                        .map_err(|e| e.to_string())
                }),
            None if std::io::stdout().is_terminal() => {
                Err("parquet is binary: give --out FILE or redirect standard output".into())
            }
            None => store
                .export_parquet(table, std::io::BufWriter::new(std::io::stdout()))
                .map_err(|e| e.to_string()),
        };
        return match result {
            Ok(n) => {
                eprintln!("gwr: {n} row(s) of {table} written");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("gwr: {e}");
                ExitCode::from(1)
            }
        };
    }
    let list = if format == ExportFormat::Jsonl {
        ListFormat::Jsonl
    } else {
        ListFormat::Csv
    };
    let sql = match store.export_query(table) {
        Ok(sql) => sql,
        Err(e) => {
            eprintln!("gwr: {e}");
            return ExitCode::from(1);
        }
    };
    match out {
        None => {
            let w = std::io::BufWriter::new(std::io::stdout().lock());
            streamed(stream_rows(&store, &sql, w, list, 0, |_| true), "")
        }
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => match stream_rows(&store, &sql, std::io::BufWriter::new(f), list, 0, |_| true)
            {
                Err(gwr_store::StoreError::Io(e)) => {
                    eprintln!("gwr: {}: {e}", inputs::shown(path));
                    ExitCode::from(1)
                }
                r => streamed(r, ""),
            },
            Err(e) => {
                eprintln!("gwr: {}: {e}", inputs::shown(path));
                ExitCode::from(1)
            }
        },
    }
}

/// The store's full integrity check.
pub fn check(db: &Path) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    match store.check() {
        Ok(()) => {
            println!("ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gwr: {}: {e}", inputs::shown(db));
            ExitCode::from(1)
        }
    }
}

/// Search the store and print ranked hits.
pub fn search(
    query: &str,
    filter: &gwr_store::SearchFilter,
    limit: usize,
    db: &Path,
    format: crate::SearchFormat,
) -> ExitCode {
    use crate::SearchFormat;
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let hits = match store.search(query, filter, limit) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("gwr: {e}");
            return ExitCode::from(1);
        }
    };
    if hits.is_empty() {
        // On stderr, so that machine formats stay empty (JSON: []).
        eprintln!("gwr: no passages match {}", inputs::escape(query));
    }
    let printed = match format {
        SearchFormat::Table if hits.is_empty() => Ok(()),
        SearchFormat::Table => {
            use std::io::Write;
            let rows: Vec<Vec<String>> = hits
                .iter()
                .map(|h| {
                    vec![
                        format!("{}#{}", inputs::escape(&h.file), h.part),
                        h.region.clone().unwrap_or_default(),
                        h.plan_year.map(|y| y.to_string()).unwrap_or_default(),
                        h.role.clone().unwrap_or_default(),
                        if h.matched == "word" {
                            format!("{:.2}", h.score)
                        } else {
                            "substr".to_string()
                        },
                        lists::one_line(&h.snippet),
                    ]
                })
                .collect();
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            crate::width::aligned(
                &mut w,
                &["file", "region", "year", "role", "score", "passage"],
                &rows,
                40,
            )
            .and_then(|_| w.flush())
        }
        SearchFormat::Json => {
            use std::io::Write;
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            serde_json::to_writer_pretty(&mut w, &hits)
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(w))
                .and_then(|_| w.flush())
        }
        SearchFormat::Csv | SearchFormat::Jsonl => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = hits
                .iter()
                .filter_map(|h| serde_json::to_value(h).ok())
                .filter_map(|v| v.as_object().cloned())
                .collect();
            if format == SearchFormat::Csv {
                lists::csv_out(&rows)
            } else {
                lists::jsonl_out(&rows)
            }
        }
    };
    crate::finish(ExitCode::SUCCESS, printed)
}

fn rows_of<T: serde::Serialize>(
    items: &[T],
) -> (Vec<String>, Vec<serde_json::Map<String, serde_json::Value>>) {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = items
        .iter()
        .filter_map(|h| serde_json::to_value(h).ok())
        .filter_map(|v| v.as_object().cloned())
        .collect();
    let cols = rows
        .first()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    (cols, rows)
}

fn print_items<T: serde::Serialize>(items: &[T], format: ListFormat) -> ExitCode {
    let (cols, rows) = rows_of(items);
    let printed = match format {
        // No rows: no header of no columns (a blank line).
        ListFormat::Table if rows.is_empty() => Ok(()),
        ListFormat::Table => lists::table(&cols, &rows),
        ListFormat::Csv => lists::csv_out(&rows),
        ListFormat::Jsonl => lists::jsonl_out(&rows),
    };
    crate::finish(ExitCode::SUCCESS, printed)
}

fn report<T: serde::Serialize>(
    r: Result<Vec<T>, gwr_store::StoreError>,
    format: ListFormat,
) -> ExitCode {
    match r {
        Ok(items) => print_items(&items, format),
        Err(e) => {
            eprintln!("gwr: {e}");
            ExitCode::from(1)
        }
    }
}

pub fn attention(dict: Option<&Path>, by: crate::ByArg, db: &Path, format: ListFormat) -> ExitCode {
    let read = match dict {
        Some(d) => std::fs::read_to_string(d)
            .map_err(|e| e.to_string())
            .and_then(|t| gwr_store::analyses::Concepts::from_toml(&t)),
        None => gwr_store::analyses::Concepts::builtin(),
    };
    let concepts = match read {
        Ok(c) => c,
        Err(e) => {
            let source = dict.map_or("built-in concepts".to_string(), inputs::shown);
            eprintln!("gwr: {source}: {e}");
            return ExitCode::from(2);
        }
    };
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let by = match by {
        crate::ByArg::Document => gwr_store::analyses::GroupBy::Document,
        crate::ByArg::Region => gwr_store::analyses::GroupBy::Region,
        crate::ByArg::Year => gwr_store::analyses::GroupBy::Year,
        crate::ByArg::Role => gwr_store::analyses::GroupBy::Role,
    };
    report(
        gwr_store::analyses::attention(&store, &concepts, by),
        format,
    )
}

pub fn slogans(min: u64, db: &Path, format: ListFormat) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    report(gwr_store::analyses::slogans(&store, min), format)
}

pub fn reuse(min: f64, top: usize, db: &Path, format: ListFormat) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    // A progress bar on a terminal (drawn only when the work takes a while).
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} shingling {pos}/{len} documents {bar:30}",
    ) {
        bar.set_style(style);
    }
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let pairs = gwr_store::analyses::reuse(&store, min, top, &progress);
    bar.finish_and_clear();
    if pairs.as_ref().is_ok_and(Vec::is_empty) {
        eprintln!("gwr: no pairs of documents share wording at similarity {min} or more");
    }
    report(pairs, format)
}

pub fn glossary(term: Option<&str>, db: &Path, format: ListFormat) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let sql = "SELECT t.term, t.definition, d.region, f.name AS file FROM terms t \
               JOIN documents d ON d.id = t.document_id JOIN files f ON f.id = d.file_id ORDER BY t.id";
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    streamed(
        stream_rows(&store, sql, out, format, 0, |r| {
            term.is_none_or(|t| {
                r.first()
                    .and_then(|v| v.as_str())
                    .is_some_and(|x| x.contains(t))
            })
        }),
        "",
    )
}
