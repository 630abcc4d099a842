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
    // 38, and sample 003's 办好8件实事：一是…八是… with its two
    // completion statements (圆满完成了8件实事 · 圆满完成41项为民实事工程).
    assert_eq!(count(&db, "commitments"), 48);
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

/// Run gwr, killing it (and failing) if it is not done within `secs`.
/// Its output is read while it runs, so a full pipe cannot stall it.
fn gwr_within(args: &[&str], secs: u64) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gwr runs");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("gwr {args:?} still running after {secs} s");
        }
    }
}

fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A store of one sample report.
fn small_store(name: &str) -> PathBuf {
    let db = scratch(name);
    let out = gwr(&[
        "ingest",
        "samples/004_52a675322059d49e.txt",
        "--db",
        s(&db),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    db
}

const ENDLESS: &str =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c";

#[test]
fn sql_has_a_time_limit_and_a_row_limit() {
    let db = small_store("sql-limits");
    let total = format!("SELECT max(x) FROM ({ENDLESS})");
    let out = gwr_within(&["sql", &total, "--db", s(&db), "--timeout", "1"], 20);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err(&out).contains("time limit") && err(&out).contains("--timeout"),
        "{}",
        err(&out)
    );
    // Rows are streamed: an endless query gives its first rows and stops.
    let out = gwr_within(
        &[
            "sql",
            ENDLESS,
            "--db",
            s(&db),
            "--format",
            "csv",
            "--max-rows",
            "5",
        ],
        20,
    );
    assert!(out.status.success(), "{}", err(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "x\n1\n2\n3\n4\n5\n");
    assert!(
        err(&out).contains("output cut after 5 row(s)"),
        "{}",
        err(&out)
    );
    // The default row limit holds too.
    let out = gwr_within(&["sql", ENDLESS, "--db", s(&db), "--format", "jsonl"], 60);
    assert!(out.status.success(), "{}", err(&out));
    assert_eq!(out.stdout.iter().filter(|b| **b == b'\n').count(), 100_000);
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn search_refuses_unbounded_queries() {
    let db = small_store("search-bound");
    let many = vec!["经"; 25_000].join(" ");
    let out = gwr_within(&["search", &many, "--db", s(&db)], 20);
    assert_eq!(out.status.code(), Some(1));
    assert!(err(&out).contains("too long"), "{}", err(&out));
    let some = vec!["经"; 40].join(" ");
    let out = gwr_within(&["search", &some, "--db", s(&db)], 20);
    assert_eq!(out.status.code(), Some(1));
    assert!(err(&out).contains("at most 32"), "{}", err(&out));
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn read_commands_leave_other_databases_alone() {
    let db = scratch("foreign");
    let file = db.join("gwr.sqlite");
    {
        let conn = rusqlite::Connection::open(&file).expect("opens");
        conn.execute_batch(
            "CREATE TABLE accounts (id INTEGER, owner TEXT); INSERT INTO accounts VALUES (1, 'a');",
        )
        .expect("someone else's database");
    }
    let before = std::fs::read(&file).expect("reads");
    for args in [
        vec!["sql", "SELECT 1"],
        vec!["search", "经济"],
        vec!["export", "--table", "facts"],
        vec!["slogans"],
        vec!["glossary"],
        vec!["reuse"],
        vec!["ingest", "samples/004_52a675322059d49e.txt", "--quiet"],
    ] {
        let mut a = args.clone();
        a.extend(["--db", s(&db)]);
        let out = gwr_within(&a, 30);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let e = err(&out);
        assert!(e.contains("not a gwr store"), "{args:?}: {e}");
    }
    assert_eq!(std::fs::read(&file).expect("reads"), before, "not modified");
    assert!(!db.join("gwr.sqlite-wal").exists());
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn older_stores_are_migrated_only_by_ingest_after_a_backup() {
    let db = small_store("older");
    let file = db.join("gwr.sqlite");
    {
        let conn = rusqlite::Connection::open(&file).expect("opens");
        conn.execute_batch("DROP INDEX errors_key; PRAGMA user_version = 3;")
            .expect("an older store");
    }
    let out = gwr_within(&["sql", "SELECT 1", "--db", s(&db)], 30);
    assert_eq!(out.status.code(), Some(1));
    assert!(err(&out).contains("run gwr ingest"), "{}", err(&out));
    let version = || -> i64 {
        let conn = rusqlite::Connection::open(&file).expect("opens");
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version")
    };
    assert_eq!(version(), 3, "a read command did not migrate");
    let out = gwr_within(&["ingest", "samples", "--db", s(&db), "--quiet"], 120);
    assert!(out.status.success(), "{}", err(&out));
    assert!(db.join("gwr.sqlite.bak").is_file());
    assert!(version() > 3);
    assert_eq!(count(&db, "files"), 5);
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn damaged_stores_are_refused_by_every_command() {
    let db = small_store("damaged");
    {
        let conn = rusqlite::Connection::open(db.join("gwr.sqlite")).expect("opens");
        conn.execute_batch(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000)
             INSERT INTO errors (path, message, at)
             SELECT 'f' || x || '.txt', printf('%.200c', 'x'), '0' FROM c;",
        )
        .expect("more pages");
    }
    let file = db.join("gwr.sqlite");
    let mut bytes = std::fs::read(&file).expect("reads");
    let mid = bytes.len() / 2;
    for (i, b) in bytes[mid - 16384..mid + 16384].iter_mut().enumerate() {
        *b = (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1];
    }
    std::fs::write(&file, &bytes).expect("writes");
    for args in [
        vec!["sql", "SELECT COUNT(*) FROM facts"],
        vec!["search", "经济"],
        vec!["export", "--table", "facts"],
        vec!["check"],
        vec!["ingest", "samples", "--quiet"],
    ] {
        let mut a = args.clone();
        a.extend(["--db", s(&db)]);
        let out = gwr_within(&a, 60);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(err(&out).contains("damaged"), "{args:?}: {}", err(&out));
        assert_eq!(err(&out).lines().count(), 1, "one line: {}", err(&out));
    }
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn re_ingest_does_not_double_the_errors() {
    let db = scratch("errors-db");
    let inputs = scratch("errors-in");
    std::fs::write(inputs.join("empty.txt"), b"").expect("writes");
    std::fs::copy(
        root().join("samples/004_52a675322059d49e.txt"),
        inputs.join("ok.txt"),
    )
    .expect("copy");
    for _ in 0..3 {
        let out = gwr(&["ingest", s(&inputs), "--db", s(&db), "--quiet"]);
        assert!(out.status.success(), "{}", err(&out));
    }
    assert_eq!(count(&db, "errors"), 1);
    let out = gwr(&["check", "--db", s(&db)]);
    assert!(out.status.success(), "{}", err(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
    let _ = std::fs::remove_dir_all(&db);
    let _ = std::fs::remove_dir_all(&inputs);
}

/// `gwr serve` prints its URL, answers, and stops cleanly on Ctrl-C; a
/// missing store is a one-line error.
#[cfg(unix)]
#[test]
fn serve_prints_its_url_answers_and_stops_on_ctrl_c() {
    use std::io::{BufRead, Read, Write};
    let db = scratch("serve");
    assert!(
        gwr(&["ingest", "samples", "--db", s(&db), "--quiet"])
            .status
            .success()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(["serve", "--db", s(&db), "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gwr serve starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a line");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut conn = std::net::TcpStream::connect(addr).expect("connects");
    conn.write_all(
        b"GET /api/v1/documents?limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .expect("request");
    let mut reply = String::new();
    conn.read_to_string(&mut reply).expect("reply");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"total\":8"), "{reply}");
    let pid = child.id() as libc::pid_t;
    // SAFETY: a signal to the child this test started.
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
    let status = child.wait().expect("stops");
    assert!(status.success(), "{status:?}");
    let missing = gwr(&[
        "serve",
        "--db",
        s(&db.join("nothing")),
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    let e = String::from_utf8_lossy(&missing.stderr);
    assert!(e.contains("no store here") && e.lines().count() == 1, "{e}");
    let _ = std::fs::remove_dir_all(&db);
}
