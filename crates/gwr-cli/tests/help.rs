//! What a person meets first: help with examples and a description for
//! every option, metric names that work as ids, completions, a man page,
//! and the store commands' messages when nothing matches.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gwr_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gwr runs")
}

fn gwr(args: &[&str]) -> Output {
    gwr_in(&root(), args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SUBCOMMANDS: &[&str] = &[
    "parse",
    "facts",
    "targets",
    "commitments",
    "track",
    "ingest",
    "sql",
    "search",
    "attention",
    "slogans",
    "glossary",
    "reuse",
    "check",
    "export",
    "compare",
    "metrics",
    "completions",
    "manpage",
];

/// Entries of the Arguments and Options sections that have no words after
/// their name, on their line or the next.
fn undescribed(help: &str) -> Vec<String> {
    let lines: Vec<&str> = help.lines().collect();
    let mut out = Vec::new();
    let mut in_list = false;
    for (i, l) in lines.iter().enumerate() {
        if l.ends_with(':') && !l.starts_with(' ') {
            in_list = matches!(*l, "Arguments:" | "Options:");
            continue;
        }
        let t = l.trim_start();
        let indent = l.len() - t.len();
        let entry = indent <= 6 && (t.starts_with('-') || t.starts_with('<') || t.starts_with('['));
        if !in_list || !entry {
            continue;
        }
        // The entry's own name ends at two spaces; words may follow.
        let described = t
            .split_once("  ")
            .is_some_and(|(_, d)| !d.trim().is_empty())
            || lines
                .get(i + 1)
                .is_some_and(|n| n.starts_with("          ") && !n.trim().is_empty());
        assert!(!t.is_empty());
        if !described {
            out.push(t.to_string());
        }
    }
    out
}

#[test]
fn every_subcommand_has_examples_and_described_options() {
    // The check itself: an option with nothing after it is found.
    let fake = "Options:\n      --x <X>\n\n      --y\n          The y\n  -h, --help  Print help\n";
    assert_eq!(undescribed(fake), ["--x <X>"]);
    for sub in SUBCOMMANDS {
        let out = gwr(&[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        let help = text(&out.stdout);
        assert!(
            help.contains("\nExamples:\n  gwr "),
            "{sub}: no examples\n{help}"
        );
        let bare = undescribed(&help);
        assert!(
            bare.is_empty(),
            "{sub}: options without a description: {bare:?}"
        );
    }
}

#[test]
fn metrics_are_listed_and_accepted_by_id_or_name() {
    let out = gwr(&["metrics", "--format", "jsonl"]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        rows.iter()
            .any(|r| r["id"] == "gdp" && r["name"] == "地区生产总值")
    );
    assert!(rows.len() >= 20);
    let facts = |m: &str| {
        let out = gwr(&["facts", "samples", "--metric", m, "--format", "jsonl"]);
        assert!(out.status.success(), "{m}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let by_id = facts("gdp");
    assert!(!by_id.is_empty());
    assert_eq!(facts("GDP"), by_id);
    assert_eq!(facts("国内生产总值"), by_id);
    assert_eq!(facts("地区生产总值"), by_id);
    // An unknown metric is refused with suggestions, not an empty result.
    for cmd in ["facts", "targets", "track", "compare"] {
        let mut args = vec![cmd, "samples", "--metric", "gdpp"];
        if cmd == "compare" {
            args.extend(["--year", "2018"]);
        }
        let out = gwr(&args);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = text(&out.stderr);
        assert!(
            err.contains("unknown metric gdpp") && err.contains("did you mean gdp"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn completions_and_the_man_page_come_from_the_cli() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = gwr(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = text(&out.stdout);
        assert!(
            script.contains("gwr") && script.contains("facts"),
            "{shell}"
        );
    }
    let out = gwr(&["manpage"]);
    assert!(out.status.success());
    let man = text(&out.stdout);
    assert!(man.contains(".TH gwr 1"), "{man:.200}");
    assert!(man.contains("facts") && man.contains("\\-\\-file\\-timeout"));
}

#[test]
fn store_commands_say_when_nothing_matches_and_work_anywhere() {
    let dir = std::env::temp_dir().join(format!("gwr-help-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    let db = dir.join("db");
    let db = db.to_str().expect("utf-8");
    let samples = root().join("samples");
    let out = gwr_in(
        &dir,
        &[
            "ingest",
            samples.to_str().expect("utf-8"),
            "--db",
            db,
            "--quiet",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // README's search example, as written: a phrase and a word.
    let out = gwr_in(&dir, &["search", "\"推进 最多跑一次 改革\"", "--db", db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("【推进“最多跑一次”改革】"),
        "the phrase is marked: {}",
        text(&out.stdout)
    );
    let out = gwr_in(
        &dir,
        &["search", "\"推进 最多跑一次 改革\"", "营商环境", "--db", db],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Unquoted words are terms of their own, each marked.
    let out = gwr_in(&dir, &["search", "推进 最多跑一次", "改革", "--db", db]);
    assert!(
        text(&out.stdout).contains("【最多跑一次】"),
        "{}",
        text(&out.stdout)
    );
    // Nothing found: a line that says so, and empty machine output.
    let out = gwr_in(&dir, &["search", "量子引力波", "--db", db]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("no passages match 量子引力波"));
    let out = gwr_in(
        &dir,
        &["search", "量子引力波", "--db", db, "--format", "json"],
    );
    assert_eq!(text(&out.stdout).trim(), "[]");
    let out = gwr_in(
        &dir,
        &["search", "最多跑一次", "--db", db, "--format", "json"],
    );
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(hits.as_array().is_some_and(|a| !a.is_empty()));
    // Attention outside the repository: the built-in concepts.
    let out = gwr_in(&dir, &["attention", "--db", db, "--format", "jsonl"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!out.stdout.is_empty());
    // Reuse: a clear line instead of a blank one when no pair is found.
    let out = gwr_in(&dir, &["reuse", "--db", db, "--min", "0.99"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "{:?}", text(&out.stdout));
    assert!(text(&out.stderr).contains("no pairs of documents"));
    let _ = std::fs::remove_dir_all(&dir);
}
