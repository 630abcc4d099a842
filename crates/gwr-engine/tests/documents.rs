//! Whole-document snapshots: every sample report's documents, metadata and
//! outline. A change in any of them shows up as a snapshot diff.

use gwr_engine::{Engine, records::doc_records};
use std::path::PathBuf;

#[test]
fn sample_documents() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("samples dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    names.sort();
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
