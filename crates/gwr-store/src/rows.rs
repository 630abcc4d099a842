//! The rows one parsed file adds to the store, computed without touching the
//! database (so ingest workers prepare them in parallel and the single
//! writer only inserts).

use crate::segment::{Cut, Segmenter};
use gwr_engine::ParsedFile;
use gwr_engine::records::{
    CommitmentRecord, DocRecord, FactRecord, TargetRecord, commitment_records, doc_records,
    fact_records, target_records_from,
};

/// A paragraph of a document with its section, role and word cut.
#[derive(Debug, Clone)]
pub struct PassageRow {
    pub section: Option<String>,
    pub role: Option<&'static str>,
    /// Where the passage starts in the document's text and its length
    /// (characters).
    pub start: i64,
    pub chars: i64,
    pub cut: Cut,
}

/// A heading of the outline.
#[derive(Debug, Clone)]
pub struct SectionRow {
    pub sid: String,
    pub level: i64,
    pub title: String,
    pub role: Option<&'static str>,
}

/// One document with its text, passages, outline and glossary terms.
#[derive(Debug, Clone)]
pub struct DocumentRows {
    pub record: DocRecord,
    /// The text packed for `documents.text` (packed.rs).
    pub packed: Vec<u8>,
    /// The text's trigrams for the substring index (substr.rs).
    pub keys: Vec<i64>,
    /// Characters of the document's text.
    pub chars: usize,
    pub passages: Vec<PassageRow>,
    pub sections: Vec<SectionRow>,
    /// Glossary entries: term → definition.
    pub terms: Vec<(String, String)>,
}

/// Everything a file adds to the store.
#[derive(Debug, Clone)]
pub struct FileRows {
    pub name: String,
    pub format: String,
    pub encoding: String,
    pub documents: Vec<DocumentRows>,
    pub facts: Vec<FactRecord>,
    pub targets: Vec<TargetRecord>,
    pub commitments: Vec<CommitmentRecord>,
}

impl FileRows {
    pub fn new(file: &ParsedFile, seg: &Segmenter) -> FileRows {
        let documents = file
            .documents
            .iter()
            .zip(doc_records(file))
            .map(|(d, record)| {
                let text = file.text().get(d.span.clone()).unwrap_or_default();
                let mut passages = Vec::new();
                let mut pos = d.span.start;
                let mut chars = 0i64;
                for whole in text.split_inclusive('\n') {
                    let at = pos;
                    pos += whole.len();
                    let line_chars = whole.chars().count() as i64;
                    let line = whole.trim();
                    if !line.is_empty() {
                        let lead = whole.len() - whole.trim_start().len();
                        passages.push(PassageRow {
                            section: d.section_at(at).map(|i| d.sections[i].id.clone()),
                            role: d.role_at(at).map(|r| r.as_str()),
                            start: chars + whole[..lead].chars().count() as i64,
                            chars: line.chars().count() as i64,
                            cut: seg.cut(line),
                        });
                    }
                    chars += line_chars;
                }
                let sections = d
                    .sections
                    .iter()
                    .map(|s| SectionRow {
                        sid: s.id.clone(),
                        level: s.level as i64,
                        title: s.title.clone(),
                        role: s.role.map(|r| r.as_str()),
                    })
                    .collect();
                let terms = d
                    .sections
                    .iter()
                    .filter(|s| s.role == Some(gwr_engine::Role::GlossaryEntry))
                    .map(|s| {
                        let def = file
                            .text()
                            .get(s.heading.end..s.span.end)
                            .unwrap_or_default()
                            .trim_start_matches(['：', ':'])
                            .trim();
                        (s.title.clone(), def.to_string())
                    })
                    .collect();
                DocumentRows {
                    record,
                    chars: chars as usize,
                    packed: crate::packed::pack(text),
                    keys: crate::substr::keys(text),
                    passages,
                    sections,
                    terms,
                }
            })
            .collect();
        let facts = fact_records(file);
        FileRows {
            name: file.name.clone(),
            format: format!("{:?}", file.prepared.format).to_lowercase(),
            encoding: file.prepared.encoding.to_string(),
            documents,
            targets: target_records_from(file, &facts),
            facts,
            commitments: commitment_records(file),
        }
    }
}
