//! Whole-document snapshots: every sample report's documents, metadata and
//! outline. A change in any of them shows up as a snapshot diff.

use gwr_engine::{
    Engine,
    records::{commitment_records, doc_records, fact_records},
};
use std::path::PathBuf;

/// The sample reports, in name order.
fn samples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("samples dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    names.sort();
    names
}

#[test]
fn sample_documents() {
    let names = samples();
    let engine = Engine::new();
    for p in names {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let bytes = std::fs::read(&p).expect("sample readable");
        let file = engine.parse_bytes(&name, &bytes).expect("sample parses");
        let records = doc_records(&file);
        insta::assert_json_snapshot!(name.clone(), records);
    }
}

/// The fields a document line is scored on.
fn scored(r: &gwr_engine::records::DocRecord) -> serde_json::Value {
    serde_json::json!({
        "doc_type": r.doc_type, "title": r.title, "region": r.region, "region_path": r.region_path,
        "level": r.level, "speaker": r.speaker, "speaker_title": r.speaker_title, "meeting": r.meeting,
        "date": r.date, "review_year": r.review_year, "plan_year": r.plan_year, "headings": r.headings,
    })
}

#[test]
fn every_format_gives_the_same_documents() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let engine = Engine::new();
    let mut samples: Vec<PathBuf> = std::fs::read_dir(root.join("samples"))
        .expect("samples dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    samples.sort();
    for sample in samples {
        let name = sample
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let want: Vec<serde_json::Value> = doc_records(
            &engine
                .parse_bytes(&name, &std::fs::read(&sample).expect("sample"))
                .expect("sample parses"),
        )
        .iter()
        .map(scored)
        .collect();
        for ext in ["gb18030.txt", "utf16le.txt", "html", "docx", "pdf"] {
            let f = root
                .join("tests/fixtures/seeds")
                .join(format!("{}.{ext}", &name[..3]));
            let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let got: Vec<serde_json::Value> = doc_records(
                &engine
                    .parse_bytes(&name, &bytes)
                    .unwrap_or_else(|e| panic!("{}: {e}", f.display())),
            )
            .iter()
            .map(scored)
            .collect();
            assert_eq!(got, want, "{}", f.display());
        }
    }
}

#[test]
fn documents_only_reads_the_same_documents_without_figures() {
    let names = samples();
    let (full, docs) = (Engine::new(), Engine::new().documents_only());
    for p in names {
        let bytes = std::fs::read(&p).expect("sample readable");
        let a = full.parse_bytes("a.txt", &bytes).expect("sample parses");
        let b = docs.parse_bytes("a.txt", &bytes).expect("sample parses");
        assert_eq!(
            serde_json::to_value(doc_records(&a)).ok(),
            serde_json::to_value(doc_records(&b)).ok()
        );
        assert!(!a.facts.is_empty());
        assert!(b.facts.is_empty() && b.commitments.is_empty());
    }
}

#[test]
fn facts_only_and_commitments_only_read_what_a_full_parse_reads() {
    let full = Engine::new();
    let (facts, lists) = (Engine::new().facts_only(), Engine::new().commitments_only());
    let mut commitments = 0;
    for p in samples() {
        let bytes = std::fs::read(&p).expect("sample readable");
        let a = full.parse_bytes("a.txt", &bytes).expect("sample parses");
        let f = facts.parse_bytes("a.txt", &bytes).expect("sample parses");
        let c = lists.parse_bytes("a.txt", &bytes).expect("sample parses");
        assert_eq!(
            serde_json::to_value(fact_records(&a)).ok(),
            serde_json::to_value(fact_records(&f)).ok()
        );
        assert!(f.commitments.is_empty() && c.facts.is_empty());
        assert_eq!(
            serde_json::to_value(commitment_records(&a)).ok(),
            serde_json::to_value(commitment_records(&c)).ok()
        );
        commitments += a.commitments.len();
    }
    assert!(commitments > 0, "the samples have commitment lists");
}
