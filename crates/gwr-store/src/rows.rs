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
    /// Glossary entries.
    pub terms: Vec<TermRow>,
}

/// A glossary entry: its term, and where its definition is in the
/// document's text (characters), or the definition itself when it is not
/// a span of that text.
#[derive(Debug, Clone, PartialEq)]
pub struct TermRow {
    pub term: String,
    pub start: i64,
    pub chars: i64,
    pub definition: Option<String>,
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
    /// For each target, the fact it restates (an index into `facts`), when
    /// the `targets` view would give its every column from that fact.
    pub target_facts: Vec<Option<usize>>,
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
                // A byte offset of the file's text in the document and the
                // characters of the document's text before it, so that each
                // entry counts on from the one before.
                let mut counted = (d.span.start, 0i64);
                let terms = d
                    .sections
                    .iter()
                    .filter(|s| s.role == Some(gwr_engine::Role::GlossaryEntry))
                    .map(|s| {
                        let raw = file
                            .text()
                            .get(s.heading.end..s.span.end)
                            .unwrap_or_default();
                        let after_colon = raw.trim_start_matches(['：', ':']);
                        let def = after_colon.trim();
                        // Where `def` starts and ends in the file's text.
                        let from = s.heading.end + (raw.len() - after_colon.trim_start().len());
                        let to = from + def.len();
                        if from < counted.0 {
                            counted = (d.span.start, 0);
                        }
                        match file.text().get(counted.0..from) {
                            Some(skipped) if to <= d.span.end && !def.is_empty() => {
                                counted = (from, counted.1 + skipped.chars().count() as i64);
                                TermRow {
                                    term: s.title.clone(),
                                    start: counted.1,
                                    chars: def.chars().count() as i64,
                                    definition: None,
                                }
                            }
                            _ => TermRow {
                                term: s.title.clone(),
                                start: 0,
                                chars: 0,
                                definition: Some(def.to_string()),
                            },
                        }
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
        let targets = target_records_from(file, &facts);
        FileRows {
            name: file.name.clone(),
            format: format!("{:?}", file.prepared.format).to_lowercase(),
            encoding: file.prepared.encoding.to_string(),
            documents,
            target_facts: restated_facts(&targets, &facts),
            targets,
            facts,
            commitments: commitment_records(file),
        }
    }
}

/// The columns of a target row that the `targets` view (schema_v12.sql)
/// reads from the fact it refers to.
#[derive(PartialEq)]
struct FromFact<'a> {
    metric_id: Option<&'a str>,
    metric: &'a str,
    year: Option<i32>,
    years: Option<[i32; 2]>,
    value: Option<f64>,
    unit: Option<&'a str>,
    change_type: Option<&'static str>,
    change_value: Option<f64>,
    evidence: &'a str,
    kind: &'static str,
    bounds: [Option<f64>; 3],
    section: Option<&'a str>,
}

/// The [`FromFact`] of a target or a fact record (the two have these
/// fields alike). Of a target: what lib.rs writes in a row of its own. Of a
/// fact: what the view reads from the fact's row, where a change's value
/// is `coalesce(change_value, change_lo)` and each bound
/// `coalesce(change_lo, lo)` and so on: the same expressions.
macro_rules! from_fact {
    ($r:expr) => {{
        let r = $r;
        let c = r.change.as_ref();
        FromFact {
            metric_id: r.metric_id.as_deref(),
            metric: &r.metric,
            year: r.year,
            years: r.years,
            value: r.value,
            unit: r.unit.as_deref(),
            change_type: c.map(|c| c.kind.as_str()),
            change_value: c.and_then(|c| c.value.or(c.lo)),
            evidence: &r.evidence,
            kind: r.kind.as_str(),
            bounds: [
                c.and_then(|c| c.lo).or(r.lo),
                c.and_then(|c| c.hi).or(r.hi),
                c.and_then(|c| c.stretch).or(r.stretch),
            ],
            section: r.section.as_deref(),
        }
    }};
}

/// For each target, the fact it restates: a target with a figure is made
/// from one of the file's target facts (`target_records_from`, which then
/// merges restatements), so it refers to the first target fact of its
/// document and evidence from which the view gives back every one of its
/// columns, if there is one.
fn restated_facts(targets: &[TargetRecord], facts: &[FactRecord]) -> Vec<Option<usize>> {
    let mut by_evidence: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, f) in facts.iter().enumerate() {
        if f.kind == gwr_figures::Kind::Target {
            by_evidence.entry(f.evidence.as_str()).or_default().push(i);
        }
    }
    targets
        .iter()
        .map(|t| {
            if t.qualitative {
                return None;
            }
            let want = from_fact!(t);
            by_evidence
                .get(t.evidence.as_str())?
                .iter()
                .copied()
                .find(|&i| facts[i].part == t.part && from_fact!(&facts[i]) == want)
        })
        .collect()
}
