//! The corpus store end to end: ingest, idempotent re-ingest, sql, export,
//! and an ingest killed midway that leaves a consistent store and completes
//! on the next run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gwr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("gwr runs")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gwr-corpus-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch");
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn count(db: &Path, table: &str) -> i64 {
    let out = gwr(&[
        "sql",
        &format!("SELECT COUNT(*) AS n FROM {table}"),
        "--db",
        s(db),
        "--format",
        "jsonl",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    v["n"].as_i64().unwrap_or(-1)
}

#[test]
fn ingest_query_export() {
    let db = scratch("db");
    let out = gwr(&["ingest", "samples", "--db", s(&db), "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&db, "files"), 5);
    assert_eq!(count(&db, "documents"), 8);
    let facts = count(&db, "facts");
    assert!(facts > 100);
    // Re-ingesting changes nothing.
    let again = gwr(&["ingest", "samples", "--db", s(&db), "--quiet"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 file(s) added, 5 already"));
    assert_eq!(count(&db, "facts"), facts);
    // Glossary entries are terms; commitments and targets are there.
    assert!(count(&db, "terms") > 40);
    assert_eq!(count(&db, "commitments"), 38);
    let out = gwr(&[
        "export",
        "--table",
        "facts",
        "--format",
        "csv",
        "--db",
        s(&db),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let jsonl = gwr(&[
        "export",
        "--table",
        "facts",
        "--format",
        "jsonl",
        "--db",
        s(&db),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&jsonl.stdout).lines().count() as i64,
        facts
    );
    assert!(
        text.lines()
            .next()
            .is_some_and(|h| h.contains("metric_id") && h.contains("evidence"))
    );
    // Search: whole terms, filters, highlighted snippets, short terms.
    let hits = gwr(&["search", "最多跑一次", "--db", s(&db), "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&hits.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(rows.len() >= 3);
    assert!(rows.iter().all(|r| {
        r["snippet"]
            .as_str()
            .is_some_and(|t| t.contains("【最多跑一次】"))
    }));
    let tasks = gwr(&[
        "search",
        "民生",
        "--role",
        "tasks",
        "--region",
        "上城区",
        "--db",
        s(&db),
        "--format",
        "jsonl",
    ]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&tasks.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["role"] == "tasks" && r["region"] == "上城区")
    );
    // Analyses.
    let att = gwr(&[
        "attention",
        "--dict",
        "data/concepts.toml",
        "--by",
        "region",
        "--db",
        s(&db),
        "--format",
        "jsonl",
    ]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&att.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        rows.iter()
            .any(|r| r["concept"] == "reform" && r["count"].as_u64() > Some(0))
    );
    assert!(rows.iter().all(|r| r["per_10k"].as_f64().is_some()));
    let slo = gwr(&["slogans", "--db", s(&db), "--format", "jsonl"]);
    let text = String::from_utf8_lossy(&slo.stdout);
    assert!(text.contains("“最多跑一次”"), "{text}");
    let glo = gwr(&[
        "glossary",
        "--term",
        "最多跑一次",
        "--db",
        s(&db),
        "--format",
        "jsonl",
    ]);
    assert!(String::from_utf8_lossy(&glo.stdout).contains("definition"));
    let reuse = gwr(&["reuse", "--min", "0.0", "--db", s(&db), "--format", "jsonl"]);
    assert!(reuse.status.success());
    let bad = gwr(&["sql", "DROP TABLE facts", "--db", s(&db)]);
    assert!(!bad.status.success());
    assert_eq!(count(&db, "facts"), facts);
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn killed_ingest_leaves_a_consistent_store() {
    let dir = scratch("killed");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    let samples: Vec<String> = std::fs::read_dir(root().join("samples"))
        .expect("samples")
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    // Enough files for several write batches (128 files each).
    let n = 400;
    for i in 0..n {
        let text = format!("{}\n附：第{i}号\n", samples[i % samples.len()]);
        std::fs::write(corpus.join(format!("r{i:04}.txt")), text).expect("write");
    }
    let db = dir.join("db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args([
            "--jobs",
            "1",
            "ingest",
            s(&corpus),
            "--db",
            s(&db),
            "--quiet",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ingest starts");
    // Wait until some files are in, then kill -9.
    let start = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if db.join("gwr.sqlite").exists() && count(&db, "files") >= 5 {
            break;
        }
        if start.elapsed().as_secs() > 120 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let partial = count(&db, "files");
    assert!(
        partial >= 0 && partial < n as i64,
        "killed midway: {partial} of {n}"
    );
    // Whole files only: every file has its documents and facts.
    let orphan = gwr(&[
        "sql",
        "SELECT COUNT(*) AS n FROM files WHERE id NOT IN (SELECT file_id FROM documents)",
        "--db",
        s(&db),
        "--format",
        "jsonl",
    ]);
    assert!(String::from_utf8_lossy(&orphan.stdout).contains("\"n\":0"));
    let out = gwr(&["ingest", s(&corpus), "--db", s(&db), "--quiet"]);
    assert!(out.status.success());
    assert_eq!(count(&db, "files"), n as i64);
    let integrity = gwr(&[
        "sql",
        "PRAGMA integrity_check",
        "--db",
        s(&db),
        "--format",
        "jsonl",
    ]);
    assert!(String::from_utf8_lossy(&integrity.stdout).contains("ok"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parquet_export_and_word_search() {
    let db = scratch("pq");
    let tmp = scratch("pqfiles");
    let terms = tmp.join("terms.txt");
    std::fs::write(&terms, "# my words\n亩均论英雄改革\n").unwrap_or_default();
    let out = gwr(&[
        "ingest",
        "samples",
        "--db",
        s(&db),
        "--quiet",
        "--terms",
        s(&terms),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The lexicon keeps the user's words.
    let lex = gwr(&[
        "sql",
        "SELECT word FROM lexicon",
        "--db",
        s(&db),
        "--format",
        "csv",
    ]);
    assert!(String::from_utf8_lossy(&lex.stdout).contains("亩均论英雄改革"));
    // Parquet: a real Parquet file (magic at both ends) with every fact.
    let file = tmp.join("facts.parquet");
    let out = gwr(&[
        "export",
        "--table",
        "facts",
        "--format",
        "parquet",
        "--out",
        s(&file),
        "--db",
        s(&db),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&file).unwrap_or_default();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    let facts = count(&db, "facts");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{facts} row(s)")));
    // Word hits rank first; a term inside a longer word is still found.
    let hits = gwr(&["search", "经济", "--db", s(&db), "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&hits.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["matched"] == "word"));
    // A phrase across words the segmenter cuts differently falls back to
    // substring hits, marked as such.
    let hits = gwr(&["search", "房22.9万", "--db", s(&db), "--format", "jsonl"]);
    let text = String::from_utf8_lossy(&hits.stdout);
    assert!(text.contains("【房22.9万】"), "{text}");
    // A quoted phrase with a space between Chinese words.
    let hits = gwr(&[
        "search",
        "\"数字 经济\"",
        "--db",
        s(&db),
        "--format",
        "jsonl",
    ]);
    assert!(String::from_utf8_lossy(&hits.stdout).contains("【数字经济】"));
    let _ = std::fs::remove_dir_all(&db);
    let _ = std::fs::remove_dir_all(&tmp);
}
