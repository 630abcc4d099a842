//! Tables line up by display width (Chinese characters take two columns)
//! and start with a header row.

use std::process::Command;
use unicode_width::UnicodeWidthStr;

fn gwr(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("gwr runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The display column where each row's text after its file cell starts.
fn text_columns(table: &str) -> Vec<usize> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f = l.find(".txt#")?;
            let end = f + l[f..].find("  ")? + 2;
            Some(UnicodeWidthStr::width(&l[..end]))
        })
        .collect()
}

#[test]
fn list_tables_align_and_have_headers() {
    for cmd in ["targets", "commitments"] {
        let t = gwr(&[cmd, "samples"]);
        assert!(
            t.lines().next().is_some_and(|h| h.starts_with("region")),
            "{cmd}: {t}"
        );
        let cols = text_columns(&t);
        assert!(cols.len() > 5, "{cmd}");
        assert!(
            cols.windows(2).all(|w| w[0] == w[1]),
            "{cmd}: columns {cols:?}"
        );
    }
}

#[test]
fn fact_rows_align_and_have_a_header() {
    let t = gwr(&["facts", "samples", "--headline"]);
    assert!(t.lines().next().is_some_and(|h| h.contains("evidence")));
    let cols = text_columns(&t);
    assert!(cols.len() > 20);
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "columns {cols:?}");
}

#[test]
fn context_shows_the_evidence_marked_in_its_sentence() {
    let t = gwr(&["targets", "samples", "--metric", "gdp", "--context"]);
    let rows: Vec<&str> = t.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{t}");
    // Each row's evidence is marked inside a longer sentence.
    assert!(
        rows.iter()
            .all(|r| r.contains('【') && r.contains('】') && !r.ends_with('】')),
        "{t}"
    );
    let f = gwr(&["facts", "samples", "--metric", "gdp", "--context"]);
    assert!(f.lines().skip(1).all(|r| r.contains('【')), "{f}");
    let csv = gwr(&[
        "facts",
        "samples",
        "--metric",
        "gdp",
        "--format",
        "csv",
        "--context",
    ]);
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.ends_with(",evidence,sentence")),
        "{csv}"
    );
    // Without the flag the evidence stands alone.
    assert!(!gwr(&["targets", "samples", "--metric", "gdp"]).contains('【'));
}
