//! Typed reads of the store: documents with their outline and text, and the
//! facts, targets and commitments of a filter, a page at a time. Rows carry
//! the columns of their table (as `gwr export` writes them) and the
//! document's file, region and year, so a row can be shown alone.

use crate::{Store, StoreError};
use rusqlite::types::Value;

/// Most rows one read returns, whatever its `limit`.
pub const MAX_PAGE: usize = 1000;
/// Most facts one analysis (tracking, comparison) reads.
pub const MAX_ANALYSIS_FACTS: usize = 200_000;

/// Which documents to list.
#[derive(Debug, Clone, Default)]
pub struct DocQuery {
    /// Region name or GB/T 2260 code.
    pub region: Option<String>,
    /// national, province, city, county.
    pub level: Option<String>,
    /// Plan year of the report.
    pub year: Option<i32>,
    /// Document type (government_work_report, …).
    pub doc_type: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// Which facts, targets or commitments to read.
#[derive(Debug, Clone, Default)]
pub struct RowQuery {
    /// Only rows of this document.
    pub document: Option<i64>,
    /// Only these metric ids (empty: any).
    pub metrics: Vec<String>,
    /// actual, estimate or target.
    pub kind: Option<String>,
    /// The year the figure is about.
    pub year: Option<i32>,
    /// Region name or GB/T 2260 code.
    pub region: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// A page of rows and how many rows the filter has in all.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub total: u64,
    pub offset: u64,
    pub items: Vec<T>,
}

/// A document in a listing, with the counts of what was read from it.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentSummary {
    pub id: i64,
    pub file_id: i64,
    pub file: String,
    pub part: i64,
    pub doc_type: String,
    pub title: Option<String>,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub level: Option<String>,
    pub date: Option<String>,
    pub review_year: Option<i64>,
    pub plan_year: Option<i64>,
    pub chars: i64,
    pub facts: i64,
    pub targets: i64,
    pub commitments: i64,
}

/// A heading of a document's outline.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heading {
    pub sid: String,
    pub level: i64,
    pub title: String,
    pub role: Option<String>,
}

/// A paragraph of a document: its id (search hits name it), section and
/// role, and where it starts in the document's text (characters).
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Passage {
    pub id: i64,
    pub section: Option<String>,
    pub role: Option<String>,
    pub text: String,
}

/// One document whole: metadata, outline, paragraphs and text.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentDetail {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    pub speaker: Option<String>,
    pub speaker_title: Option<String>,
    pub meeting: Option<String>,
    pub region_path: Vec<String>,
    pub inferred: Vec<String>,
    /// The file's path when it was ingested, its format and size.
    pub path: String,
    pub format: String,
    pub bytes: i64,
    pub outline: Vec<Heading>,
    pub passages: Vec<Passage>,
    pub text: String,
}

/// A fact row with its document's file, region and years.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FactRow {
    pub id: i64,
    pub document_id: i64,
    pub file: String,
    pub part: i64,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub level: Option<String>,
    pub plan_year: Option<i64>,
    pub metric_id: Option<String>,
    pub metric: String,
    pub kind: String,
    pub year: Option<i64>,
    pub year_from: Option<i64>,
    pub year_to: Option<i64>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub value_base: Option<f64>,
    pub base_unit: Option<String>,
    pub qualifier: Option<String>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub stretch: Option<f64>,
    pub change_type: Option<String>,
    pub change_value: Option<f64>,
    pub change_qualifier: Option<String>,
    pub change_lo: Option<f64>,
    pub change_hi: Option<f64>,
    pub change_stretch: Option<f64>,
    pub section: Option<String>,
    pub role: Option<String>,
    pub evidence: String,
    /// Byte span of the evidence in the source file (or its text layer).
    pub source_start: i64,
    pub source_end: i64,
    /// Character span of the evidence in the document's text (absent in
    /// rows stored before schema 5).
    pub text_start: Option<i64>,
    pub text_end: Option<i64>,
}

/// A target row with its document's file, region and years.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetRow {
    pub id: i64,
    pub document_id: i64,
    pub file: String,
    pub part: i64,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub plan_year: Option<i64>,
    pub metric_id: Option<String>,
    pub metric: String,
    pub kind: Option<String>,
    pub year: Option<i64>,
    pub year_from: Option<i64>,
    pub year_to: Option<i64>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub change_type: Option<String>,
    /// The figure: the change when there is one (增长4%以上 → 4), else the level.
    pub change_value: Option<f64>,
    /// Floor and ceiling of a range, and the stretch figure (力争5.5%).
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub stretch: Option<f64>,
    pub comparator: String,
    pub wording: String,
    pub qualitative: bool,
    pub evidence: String,
    pub section: Option<String>,
}

/// A commitment row (民生实事 item or completion statement).
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentRow {
    pub id: i64,
    pub document_id: i64,
    pub file: String,
    pub part: i64,
    pub region: Option<String>,
    pub plan_year: Option<i64>,
    pub kind: String,
    pub stage: String,
    pub idx: Option<i64>,
    pub title: Option<String>,
    pub text: String,
    /// The item's figures: `[{"value": 12, "unit": "所"}]`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub figures: serde_json::Value,
    pub announced: Option<i64>,
}

const DOC_COLUMNS: &str = "d.id, d.file_id, f.name, d.part, d.doc_type, d.title, d.region, d.region_code, \
     d.level, d.date, d.review_year, d.plan_year, d.chars, \
     (SELECT COUNT(*) FROM facts x WHERE x.document_id = d.id), \
     (SELECT COUNT(*) FROM targets x WHERE x.document_id = d.id), \
     (SELECT COUNT(*) FROM commitments x WHERE x.document_id = d.id)";

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentSummary> {
    Ok(DocumentSummary {
        id: r.get(0)?,
        file_id: r.get(1)?,
        file: r.get(2)?,
        part: r.get(3)?,
        doc_type: r.get(4)?,
        title: r.get(5)?,
        region: r.get(6)?,
        region_code: r.get(7)?,
        level: r.get(8)?,
        date: r.get(9)?,
        review_year: r.get(10)?,
        plan_year: r.get(11)?,
        chars: r.get(12)?,
        facts: r.get(13)?,
        targets: r.get(14)?,
        commitments: r.get(15)?,
    })
}

/// The page size a query asks for, held to [`MAX_PAGE`] (0 means the most).
fn page_size(limit: usize) -> usize {
    if limit == 0 {
        MAX_PAGE
    } else {
        limit.min(MAX_PAGE)
    }
}

/// `WHERE` clauses shared by the row reads (`d` is the document).
fn row_filter(q: &RowQuery, table: &str, sql: &mut String, args: &mut Vec<Value>) {
    if let Some(d) = q.document {
        sql.push_str(&format!(" AND {table}.document_id = ?"));
        args.push(d.into());
    }
    if !q.metrics.is_empty() && table != "c" {
        let marks = vec!["?"; q.metrics.len()].join(",");
        sql.push_str(&format!(" AND {table}.metric_id IN ({marks})"));
        args.extend(q.metrics.iter().map(|m| Value::from(m.clone())));
    }
    if let Some(k) = &q.kind {
        sql.push_str(&format!(" AND {table}.kind = ?"));
        args.push(k.clone().into());
    }
    if let Some(y) = q.year {
        if table == "c" {
            sql.push_str(" AND d.plan_year = ?");
        } else {
            sql.push_str(&format!(" AND {table}.year = ?"));
        }
        args.push(i64::from(y).into());
    }
    if let Some(r) = &q.region {
        sql.push_str(" AND (d.region = ? OR d.region_code = ?)");
        args.push(r.clone().into());
        args.push(r.clone().into());
    }
}

impl Store {
    /// A page of documents, by region and plan year.
    pub fn documents(&self, q: &DocQuery) -> Result<Page<DocumentSummary>, StoreError> {
        let mut filter = String::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(r) = &q.region {
            filter.push_str(" AND (d.region = ? OR d.region_code = ?)");
            args.push(r.clone().into());
            args.push(r.clone().into());
        }
        if let Some(l) = &q.level {
            filter.push_str(" AND d.level = ?");
            args.push(l.clone().into());
        }
        if let Some(y) = q.year {
            filter.push_str(" AND d.plan_year = ?");
            args.push(i64::from(y).into());
        }
        if let Some(t) = &q.doc_type {
            filter.push_str(" AND d.doc_type = ?");
            args.push(t.clone().into());
        }
        let from = "FROM documents d JOIN files f ON f.id = d.file_id WHERE 1 = 1";
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) {from}{filter}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let mut sql = format!(
            "SELECT {DOC_COLUMNS} {from}{filter} ORDER BY d.region_code, d.region, d.plan_year, f.name, d.part LIMIT ? OFFSET ?"
        );
        sql.push(' ');
        args.push((page_size(q.limit) as i64).into());
        args.push((q.offset as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let items = stmt
            .query_map(rusqlite::params_from_iter(args), summary)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            total: total as u64,
            offset: q.offset as u64,
            items,
        })
    }

    /// One document whole, or `None` when the store has no such id.
    pub fn document(&self, id: i64) -> Result<Option<DocumentDetail>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DOC_COLUMNS}, d.speaker, d.speaker_title, d.meeting, d.region_path, d.inferred, \
             f.path, f.format, f.bytes, gwr_text(d.text) \
             FROM documents d JOIN files f ON f.id = d.file_id WHERE d.id = ?1"
        ))?;
        let mut rows = stmt.query([id])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        let list = |i: usize| -> rusqlite::Result<Vec<String>> {
            let v: Option<String> = r.get(i)?;
            Ok(v.and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default())
        };
        let mut doc = DocumentDetail {
            summary: summary(r)?,
            speaker: r.get(16)?,
            speaker_title: r.get(17)?,
            meeting: r.get(18)?,
            region_path: list(19)?,
            inferred: list(20)?,
            path: r.get(21)?,
            format: r.get(22)?,
            bytes: r.get(23)?,
            text: r.get(24)?,
            outline: Vec::new(),
            passages: Vec::new(),
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT sid, level, title, role FROM sections WHERE document_id = ?1 ORDER BY id",
        )?;
        doc.outline = stmt
            .query_map([id], |r| {
                Ok(Heading {
                    sid: r.get(0)?,
                    level: r.get(1)?,
                    title: r.get(2)?,
                    role: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        // The passages are cut from the text already read (one walk over
        // it), not through the view (a walk per passage).
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, section, role, start, chars FROM passage_spans \
             WHERE document_id = ?1 ORDER BY id",
        )?;
        let mut cursor = crate::spans::CharCursor::new(&doc.text);
        doc.passages = stmt
            .query_map([id], |r| {
                Ok(Passage {
                    id: r.get(0)?,
                    section: r.get(1)?,
                    role: r.get(2)?,
                    text: cursor.slice(r.get(3)?, r.get(4)?).to_string(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some(doc))
    }

    /// Count and page of rows of `table` (alias `alias`) under `q`.
    fn rows_of<T>(
        &self,
        columns: &str,
        table: &str,
        alias: &str,
        q: &RowQuery,
        max: usize,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Page<T>, StoreError> {
        let from = format!(
            "FROM {table} {alias} JOIN documents d ON d.id = {alias}.document_id \
             JOIN files f ON f.id = d.file_id WHERE 1 = 1"
        );
        let mut filter = String::new();
        let mut args: Vec<Value> = Vec::new();
        row_filter(q, alias, &mut filter, &mut args);
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) {from}{filter}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let size = if q.limit == 0 { max } else { q.limit.min(max) };
        let sql = format!(
            "SELECT {columns} {from}{filter} ORDER BY d.region_code, d.plan_year, d.id, {alias}.id LIMIT ? OFFSET ?"
        );
        args.push((size as i64).into());
        args.push((q.offset as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let items = stmt
            .query_map(rusqlite::params_from_iter(args), row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            total: total as u64,
            offset: q.offset as u64,
            items,
        })
    }

    /// A page of facts (at most [`MAX_PAGE`]).
    pub fn facts(&self, q: &RowQuery) -> Result<Page<FactRow>, StoreError> {
        self.facts_up_to(q, MAX_PAGE)
    }

    /// Facts of `q`, at most `max` (for a whole document's facts, say).
    pub fn facts_up_to(&self, q: &RowQuery, max: usize) -> Result<Page<FactRow>, StoreError> {
        self.rows_of(
            "x.id, x.document_id, f.name, d.part, d.region, d.region_code, d.level, d.plan_year, \
             x.metric_id, x.metric, x.kind, x.year, x.year_from, x.year_to, x.value, x.unit, \
             x.value_base, x.base_unit, x.qualifier, x.lo, x.hi, x.stretch, x.change_type, \
             x.change_value, x.change_qualifier, x.change_lo, x.change_hi, x.change_stretch, \
             x.section, x.role, x.evidence, x.source_start, x.source_end, x.text_start, x.text_end",
            "facts",
            "x",
            q,
            max,
            |r| {
                Ok(FactRow {
                    id: r.get(0)?,
                    document_id: r.get(1)?,
                    file: r.get(2)?,
                    part: r.get(3)?,
                    region: r.get(4)?,
                    region_code: r.get(5)?,
                    level: r.get(6)?,
                    plan_year: r.get(7)?,
                    metric_id: r.get(8)?,
                    metric: r.get(9)?,
                    kind: r.get(10)?,
                    year: r.get(11)?,
                    year_from: r.get(12)?,
                    year_to: r.get(13)?,
                    value: r.get(14)?,
                    unit: r.get(15)?,
                    value_base: r.get(16)?,
                    base_unit: r.get(17)?,
                    qualifier: r.get(18)?,
                    lo: r.get(19)?,
                    hi: r.get(20)?,
                    stretch: r.get(21)?,
                    change_type: r.get(22)?,
                    change_value: r.get(23)?,
                    change_qualifier: r.get(24)?,
                    change_lo: r.get(25)?,
                    change_hi: r.get(26)?,
                    change_stretch: r.get(27)?,
                    section: r.get(28)?,
                    role: r.get(29)?,
                    evidence: r.get(30)?,
                    source_start: r.get(31)?,
                    source_end: r.get(32)?,
                    text_start: r.get(33)?,
                    text_end: r.get(34)?,
                })
            },
        )
    }

    /// A page of targets (at most [`MAX_PAGE`]).
    pub fn targets(&self, q: &RowQuery) -> Result<Page<TargetRow>, StoreError> {
        self.rows_of(
            "x.id, x.document_id, f.name, d.part, d.region, d.region_code, d.plan_year, x.metric_id, \
             x.metric, x.kind, x.year, x.year_from, x.year_to, x.value, x.unit, x.change_type, \
             x.change_value, x.lo, x.hi, x.stretch, x.comparator, x.wording, x.qualitative, \
             x.evidence, x.section",
            "targets",
            "x",
            q,
            MAX_PAGE,
            |r| {
                Ok(TargetRow {
                    id: r.get(0)?,
                    document_id: r.get(1)?,
                    file: r.get(2)?,
                    part: r.get(3)?,
                    region: r.get(4)?,
                    region_code: r.get(5)?,
                    plan_year: r.get(6)?,
                    metric_id: r.get(7)?,
                    metric: r.get(8)?,
                    kind: r.get(9)?,
                    year: r.get(10)?,
                    year_from: r.get(11)?,
                    year_to: r.get(12)?,
                    value: r.get(13)?,
                    unit: r.get(14)?,
                    change_type: r.get(15)?,
                    change_value: r.get(16)?,
                    lo: r.get(17)?,
                    hi: r.get(18)?,
                    stretch: r.get(19)?,
                    comparator: r.get(20)?,
                    wording: r.get(21)?,
                    qualitative: r.get(22)?,
                    evidence: r.get(23)?,
                    section: r.get(24)?,
                })
            },
        )
    }

    /// A page of commitments (at most [`MAX_PAGE`]); `year` is the plan year.
    pub fn commitments(&self, q: &RowQuery) -> Result<Page<CommitmentRow>, StoreError> {
        self.rows_of(
            "c.id, c.document_id, f.name, d.part, d.region, d.plan_year, c.kind, c.stage, c.idx, \
             c.title, c.text, c.figures, c.announced",
            "commitments",
            "c",
            q,
            MAX_PAGE,
            |r| {
                let figures: String = r.get(11)?;
                Ok(CommitmentRow {
                    id: r.get(0)?,
                    document_id: r.get(1)?,
                    file: r.get(2)?,
                    part: r.get(3)?,
                    region: r.get(4)?,
                    plan_year: r.get(5)?,
                    kind: r.get(6)?,
                    stage: r.get(7)?,
                    idx: r.get(8)?,
                    title: r.get(9)?,
                    text: r.get(10)?,
                    figures: serde_json::from_str(&figures).unwrap_or_default(),
                    announced: r.get(12)?,
                })
            },
        )
    }

    /// The facts of `q` as the engine's records (for tracking and
    /// comparison), at most [`MAX_ANALYSIS_FACTS`]; the second value tells
    /// whether more were left out.
    pub fn fact_records(
        &self,
        q: &RowQuery,
    ) -> Result<(Vec<gwr_engine::records::FactRecord>, bool), StoreError> {
        let q = RowQuery {
            limit: MAX_ANALYSIS_FACTS,
            ..q.clone()
        };
        let page = self.facts_up_to(&q, MAX_ANALYSIS_FACTS)?;
        let more = page.total > page.items.len() as u64;
        Ok((
            page.items.iter().filter_map(FactRow::to_record).collect(),
            more,
        ))
    }
}

/// A stored name back as the engine's value (`"target"` → `Kind::Target`).
fn parsed<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

impl FactRow {
    /// The engine's record of this row (`None` for a row whose kind this
    /// gwr does not know). The file is named `file#part` as the CLI does.
    pub fn to_record(&self) -> Option<gwr_engine::records::FactRecord> {
        let change = self
            .change_type
            .as_deref()
            .and_then(parsed)
            .map(|kind| gwr_figures::Change {
                kind,
                value: self.change_value,
                qualifier: self.change_qualifier.as_deref().and_then(parsed),
                lo: self.change_lo,
                hi: self.change_hi,
                stretch: self.change_stretch,
            });
        let span =
            |a: Option<i64>, b: Option<i64>| [a.unwrap_or(0) as usize, b.unwrap_or(0) as usize];
        Some(gwr_engine::records::FactRecord {
            file: self.file.clone(),
            part: self.part as usize,
            metric_id: self.metric_id.clone(),
            metric: self.metric.clone(),
            kind: parsed(&self.kind)?,
            year: self.year.map(|y| y as i32),
            years: self
                .year_from
                .zip(self.year_to)
                .map(|(a, b)| [a as i32, b as i32]),
            value: self.value,
            unit: self.unit.clone(),
            value_base: self.value_base,
            base_unit: self.base_unit.clone(),
            qualifier: self.qualifier.as_deref().and_then(parsed),
            lo: self.lo,
            hi: self.hi,
            stretch: self.stretch,
            change,
            evidence: self.evidence.clone(),
            source_span: span(Some(self.source_start), Some(self.source_end)),
            char_span: span(self.text_start, self.text_end),
            text_span: self
                .text_start
                .zip(self.text_end)
                .map(|(a, b)| [a as usize, b as usize]),
            section: self.section.clone(),
            role: self
                .role
                .as_deref()
                .and_then(gwr_engine::Role::parse)
                .map(|r| r.as_str()),
            region: self.region.clone(),
            region_code: self.region_code.clone(),
            region_path: None,
            level: self.level.clone(),
            report_plan_year: self.plan_year.map(|y| y as i32),
            sentence: String::new(),
        })
    }
}
