//! Output records: the JSON shapes of the interchange format
//! (`../shared/gold/README.md`), with extra fields after the required ones.

use crate::ParsedFile;
use gwr_doc::{Document, Section};
use serde::Serialize;

/// One document line of `--format jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct DocRecord {
    pub file: String,
    pub part: usize,
    pub doc_type: &'static str,
    pub title: Option<String>,
    pub region: Option<String>,
    pub region_path: Option<Vec<String>>,
    pub level: Option<String>,
    pub speaker: Option<String>,
    pub speaker_title: Option<String>,
    pub meeting: Option<String>,
    pub date: Option<String>,
    pub review_year: Option<i32>,
    pub plan_year: Option<i32>,
    /// Top-level headings, numbering stripped.
    /// (`null` for glossaries, which have entries, not headings).
    pub headings: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
    /// GB/T 2260 code of the region.
    pub region_code: Option<String>,
    /// Byte span of the document in the source file (for text and HTML
    /// files) or in the extracted text layer (DOCX, PDF).
    pub source_span: [usize; 2],
    pub outline: Vec<OutlineEntry>,
    /// The years a term or five-year review covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_span: Option<[i32; 2]>,
    /// Every cue that proposed a field's value (`gwr parse --explain`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<CueRecord>,
}

/// A cue of a document field, with the text it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct CueRecord {
    pub field: &'static str,
    pub value: String,
    pub rule: &'static str,
    pub weight: u16,
    pub won: bool,
    pub indirect: bool,
    /// The text the rule read (empty when it read no one place).
    pub evidence: String,
    pub source_span: [usize; 2],
}

/// A section in the outline of a document record.
#[derive(Debug, Clone, Serialize)]
pub struct OutlineEntry {
    pub id: String,
    pub level: u8,
    pub title: String,
    pub role: Option<&'static str>,
    /// First and last year the section is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<[i32; 2]>,
}

impl OutlineEntry {
    fn from(s: &Section) -> Self {
        Self {
            id: s.id.clone(),
            level: s.level,
            title: s.title.clone(),
            role: s.role.map(|r| r.as_str()),
            period: s.period,
        }
    }
}

impl DocRecord {
    pub fn new(file: &ParsedFile, doc: &Document) -> Self {
        let m = &doc.meta;
        let span = file.prepared.map.span_to_source(doc.span.clone());
        Self {
            file: file.name.clone(),
            part: doc.part,
            doc_type: doc.doc_type.as_str(),
            title: m.title.clone(),
            region: m.region.clone(),
            region_path: m.region_path.clone(),
            level: m.level.clone(),
            speaker: m.speaker.clone(),
            speaker_title: m.speaker_title.clone(),
            meeting: m.meeting.clone(),
            date: m.date.clone(),
            review_year: m.review_year,
            plan_year: m.plan_year,
            // Glossaries have entries, not headings; a news item without
            // headings has none either.
            headings: (doc.doc_type != gwr_doc::DocType::Glossary
                && !(doc.doc_type == gwr_doc::DocType::Other && doc.sections.is_empty()))
            .then(|| doc.top_sections().map(|s| s.title.clone()).collect()),
            inferred: m.inferred.clone(),
            region_code: m.region_code.clone(),
            source_span: [span.start, span.end],
            outline: doc.sections.iter().map(OutlineEntry::from).collect(),
            review_span: m.review_span,
            cues: m
                .cues
                .iter()
                .map(|c| {
                    let span = file.prepared.map.span_to_source(c.span.clone());
                    CueRecord {
                        field: c.field.as_str(),
                        value: c.value.clone(),
                        rule: c.rule,
                        weight: c.weight,
                        won: c.won,
                        indirect: c.indirect,
                        evidence: file.text().get(c.span.clone()).unwrap_or("").to_string(),
                        source_span: [span.start, span.end],
                    }
                })
                .collect(),
        }
    }
}

/// One fact line of `gwr facts --format jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct FactRecord {
    pub file: String,
    pub part: usize,
    pub metric_id: Option<String>,
    pub metric: String,
    pub kind: gwr_figures::Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<[i32; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The level in the base unit of its dimension (595 亿元 → 59500000000 元).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_base: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<gwr_figures::Qualifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lo: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hi: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stretch: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<gwr_figures::Change>,
    pub evidence: String,
    /// Byte span of the evidence in the source (see `DocRecord::source_span`).
    pub source_span: [usize; 2],
    /// Character span of the evidence in the normalized text.
    pub char_span: [usize; 2],
    /// Character span of the evidence in its document's text (the store's
    /// `text_start`, `text_end`: where a reader marks it).
    #[serde(skip)]
    pub text_span: Option<[usize; 2]>,
    /// Id and role of the section the fact is in.
    pub section: Option<String>,
    pub role: Option<&'static str>,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub region_path: Option<Vec<String>>,
    pub level: Option<String>,
    /// The report's plan year (tells which report a figure comes from).
    pub report_plan_year: Option<i32>,
    /// The sentence the fact is in (normalized text).
    #[serde(skip)]
    pub sentence: String,
}

impl FactRecord {
    /// The record's JSON line (without the newline), byte for byte what
    /// `serde_json` writes for it, without serde's machinery: keys are
    /// constant bytes and strings are copied in runs between the characters
    /// JSON escapes. `gwr facts --format jsonl` prints millions of these.
    /// The test `json_lines_are_serde_json` holds it to `serde_json` on
    /// records of every shape; a field added to the struct fails that
    /// test until it is written here too.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        use json::{f64_field, int, opt_str, str as put_str, str_field};
        // The qualifier and bounds of a level or of a change, each when there.
        let bounds = |out: &mut Vec<u8>,
                      q: Option<gwr_figures::Qualifier>,
                      [lo, hi, stretch]: [Option<f64>; 3]| {
            str_field(
                out,
                b",\"qualifier\":",
                q.map(gwr_figures::Qualifier::as_str),
            );
            f64_field(out, b",\"lo\":", lo);
            f64_field(out, b",\"hi\":", hi);
            f64_field(out, b",\"stretch\":", stretch);
        };
        out.extend_from_slice(b"{\"file\":");
        put_str(out, &self.file);
        out.extend_from_slice(b",\"part\":");
        int(out, self.part);
        out.extend_from_slice(b",\"metric_id\":");
        opt_str(out, self.metric_id.as_deref());
        out.extend_from_slice(b",\"metric\":");
        put_str(out, &self.metric);
        out.extend_from_slice(b",\"kind\":");
        put_str(out, self.kind.as_str());
        if let Some(y) = self.year {
            out.extend_from_slice(b",\"year\":");
            int(out, y);
        }
        if let Some([a, z]) = self.years {
            out.extend_from_slice(b",\"years\":[");
            int(out, a);
            out.push(b',');
            int(out, z);
            out.push(b']');
        }
        f64_field(out, b",\"value\":", self.value);
        str_field(out, b",\"unit\":", self.unit.as_deref());
        f64_field(out, b",\"value_base\":", self.value_base);
        str_field(out, b",\"base_unit\":", self.base_unit.as_deref());
        bounds(out, self.qualifier, [self.lo, self.hi, self.stretch]);
        if let Some(c) = &self.change {
            out.extend_from_slice(b",\"change\":{\"type\":");
            put_str(out, c.kind.as_str());
            f64_field(out, b",\"value\":", c.value);
            bounds(out, c.qualifier, [c.lo, c.hi, c.stretch]);
            out.push(b'}');
        }
        out.extend_from_slice(b",\"evidence\":");
        put_str(out, &self.evidence);
        for (key, [a, z]) in [
            (&b",\"source_span\":["[..], self.source_span),
            (&b",\"char_span\":["[..], self.char_span),
        ] {
            out.extend_from_slice(key);
            int(out, a);
            out.push(b',');
            int(out, z);
            out.push(b']');
        }
        out.extend_from_slice(b",\"section\":");
        opt_str(out, self.section.as_deref());
        out.extend_from_slice(b",\"role\":");
        opt_str(out, self.role);
        out.extend_from_slice(b",\"region\":");
        opt_str(out, self.region.as_deref());
        out.extend_from_slice(b",\"region_code\":");
        opt_str(out, self.region_code.as_deref());
        out.extend_from_slice(b",\"region_path\":");
        match &self.region_path {
            Some(path) => {
                out.push(b'[');
                for (i, p) in path.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    put_str(out, p);
                }
                out.push(b']');
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"level\":");
        opt_str(out, self.level.as_deref());
        out.extend_from_slice(b",\"report_plan_year\":");
        match self.report_plan_year {
            Some(y) => int(out, y),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
    }
}

/// JSON values as `serde_json` writes them.
mod json {
    /// A string, quoted, with `"`, `\` and control characters escaped
    /// (`\n` and the other short escapes, else `\u00XX`).
    pub(super) fn str(out: &mut Vec<u8>, s: &str) {
        out.push(b'"');
        let b = s.as_bytes();
        // Up to the first byte to escape eight bytes at a time (most
        // strings have none), then byte by byte.
        let clean = gwr_text::swar::first(b, may_escape, needs_escape).unwrap_or(b.len());
        let mut run = 0;
        for (i, &c) in b.iter().enumerate().skip(clean) {
            if !needs_escape(c) {
                continue;
            }
            out.extend_from_slice(&b[run..i]);
            run = i + 1;
            match c {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(c >> 4)]);
                    out.push(HEX[usize::from(c & 0xf)]);
                }
            }
        }
        out.extend_from_slice(&b[run..]);
        out.push(b'"');
    }

    /// A byte JSON escapes: a control character, `"` or `\`.
    fn needs_escape(c: u8) -> bool {
        c < 0x20 || c == b'"' || c == b'\\'
    }

    /// The bytes of `w` that [`needs_escape`] (their high bits).
    pub(super) fn may_escape(w: u64) -> u64 {
        use gwr_text::swar::{below, equal};
        below(w, 0x20) | equal(w, b'"') | equal(w, b'\\')
    }

    /// `key` and the string when there is one (a field serde skips when it
    /// is `None`).
    pub(super) fn str_field(out: &mut Vec<u8>, key: &[u8], s: Option<&str>) {
        if let Some(s) = s {
            out.extend_from_slice(key);
            str(out, s);
        }
    }

    pub(super) fn opt_str(out: &mut Vec<u8>, s: Option<&str>) {
        match s {
            Some(s) => str(out, s),
            None => out.extend_from_slice(b"null"),
        }
    }

    pub(super) fn int(out: &mut Vec<u8>, n: impl itoa::Integer) {
        out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    /// `key` and the number when there is one (a field serde skips when it
    /// is `None`); a number that is not finite is `null`, as in serde_json.
    pub(super) fn f64_field(out: &mut Vec<u8>, key: &[u8], v: Option<f64>) {
        let Some(v) = v else { return };
        out.extend_from_slice(key);
        if v.is_finite() {
            out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        } else {
            out.extend_from_slice(b"null");
        }
    }
}

/// Byte offset → character offset, counting from the last query forward or
/// back: a query costs the distance from the one before, so queries in text
/// order (a fact's start, its end, the next fact's start) cost one pass.
struct CharCounter<'a> {
    text: &'a str,
    last: std::cell::Cell<(usize, usize)>,
}

impl CharCounter<'_> {
    fn char_at(&self, b: usize) -> usize {
        let mut b = b.min(self.text.len());
        while !self.text.is_char_boundary(b) {
            b -= 1;
        }
        let (lb, lc) = self.last.get();
        let c = if b >= lb {
            lc + self.text[lb..b].chars().count()
        } else {
            lc - self.text[b..lb].chars().count()
        };
        self.last.set((b, c));
        c
    }
}

/// Fact records of a parsed file, in order.
pub fn fact_records(file: &ParsedFile) -> Vec<FactRecord> {
    fact_records_with(file, true)
}

/// Fact records of a parsed file, in order; with `sentences` false each
/// record's `sentence` (never serialized, used for context and target
/// wording) is left empty, which spares a printer that shows no context
/// finding every fact's sentence.
pub fn fact_records_with(file: &ParsedFile, sentences: bool) -> Vec<FactRecord> {
    let chars = CharCounter {
        text: file.text(),
        last: std::cell::Cell::new((0, 0)),
    };
    // Each document's first character, counted once, in order.
    let doc_starts: Vec<usize> = file
        .documents
        .iter()
        .map(|d| chars.char_at(d.span.start))
        .collect();
    file.facts
        .iter()
        .map(|ff| {
            let f = &ff.fact;
            let doc = &file.documents[ff.doc];
            let section = doc
                .section_at(f.span.start)
                .map(|i| doc.sections[i].id.clone());
            let unit = f
                .unit
                .as_deref()
                .and_then(|u| gwr_figures::units::Units::builtin().get(u));
            // The span in characters, counted once for both spans below.
            let (a, b) = (chars.char_at(f.span.start), chars.char_at(f.span.end));
            FactRecord {
                file: file.name.clone(),
                part: doc.part,
                metric_id: f.metric_id.clone(),
                metric: f.metric.clone(),
                kind: f.kind,
                year: f.year,
                years: f.years,
                value: f.value,
                unit: f.unit.clone(),
                value_base: f.value.zip(unit).map(|(v, u)| v * u.scale),
                base_unit: unit.map(|u| u.base.clone()),
                qualifier: f.qualifier,
                lo: f.lo,
                hi: f.hi,
                stretch: f.stretch,
                change: f.change.clone(),
                evidence: ff.evidence.clone(),
                source_span: [ff.source_span.start, ff.source_span.end],
                char_span: [a, b],
                text_span: doc_starts
                    .get(ff.doc)
                    .and_then(|&s| Some([a.checked_sub(s)?, b.checked_sub(s)?])),
                section,
                role: doc.role_at(f.span.start).map(|r| r.as_str()),
                region: doc.meta.region.clone(),
                region_code: doc.meta.region_code.clone(),
                region_path: doc.meta.region_path.clone(),
                level: doc.meta.level.clone(),
                report_plan_year: doc.meta.plan_year,
                sentence: if sentences {
                    sentence_around(file.text(), f.span.clone())
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// Document records of a parsed file, in order.
pub fn doc_records(file: &ParsedFile) -> Vec<DocRecord> {
    file.documents
        .iter()
        .map(|d| DocRecord::new(file, d))
        .collect()
}

/// One commitment line of `gwr commitments --format jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentRecord {
    pub file: String,
    pub part: usize,
    pub kind: gwr_figures::commitments::CommitmentKind,
    pub stage: gwr_figures::commitments::Stage,
    pub index: Option<usize>,
    pub title: Option<String>,
    pub text: String,
    pub figures: Vec<gwr_figures::commitments::ItemFigure>,
    /// How many items the list's anchor announced.
    pub announced: Option<u32>,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub plan_year: Option<i32>,
    pub review_year: Option<i32>,
    /// Byte span in the source (see `DocRecord::source_span`).
    pub source_span: [usize; 2],
    /// For a completion statement: the list it reports on (file#part of the
    /// same region's report for that year), when one is at hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fulfils: Option<String>,
}

/// Commitment records of a parsed file, in order.
pub fn commitment_records(file: &ParsedFile) -> Vec<CommitmentRecord> {
    file.commitments
        .iter()
        .map(|(d, c)| {
            let doc = &file.documents[*d];
            let span = file.prepared.map.span_to_source(c.span.clone());
            CommitmentRecord {
                file: file.name.clone(),
                part: doc.part,
                kind: c.kind,
                stage: c.stage,
                index: c.index,
                title: c.title.clone(),
                text: c.text.clone(),
                figures: c.figures.clone(),
                announced: c.announced,
                region: doc.meta.region.clone(),
                region_code: doc.meta.region_code.clone(),
                plan_year: doc.meta.plan_year,
                review_year: doc.meta.review_year,
                source_span: [span.start, span.end],
                fulfils: None,
            }
        })
        .collect()
}

/// The sentence (up to 。！？ or the line) around a span, at most
/// [`gwr_doc::lines::MAX_SENTENCE_BYTES`] on either side of it (a line
/// without full stops is not copied whole for each of its facts).
fn sentence_around(text: &str, r: std::ops::Range<usize>) -> String {
    let bound = gwr_doc::lines::MAX_SENTENCE_BYTES;
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (rs, re) = (floor(r.start), floor(r.end.max(r.start)));
    let lo = floor(rs.saturating_sub(bound));
    let hi = floor(re.saturating_add(bound));
    let start = last_sentence_end(&text[lo..rs]).map_or(lo, |(i, n)| lo + i + n);
    let end = first_sentence_end(&text[re..hi]).map_or(hi, |(i, n)| {
        // A full stop belongs to its sentence, a line end does not.
        re + i + if n == 1 { 0 } else { n }
    });
    text.get(start..end).unwrap_or_default().to_string()
}

/// The first 。！？ or line end in `t`: its offset and length. Only a line
/// end and the lead bytes E3 (。) and EF (！？) can start one, so the scan
/// is a vectorised byte search.
fn first_sentence_end(t: &str) -> Option<(usize, usize)> {
    memchr::memchr3_iter(b'\n', 0xE3, 0xEF, t.as_bytes()).find_map(|i| sentence_end_at(t, i))
}

/// The last 。！？ or line end in `t`, as [`first_sentence_end`].
fn last_sentence_end(t: &str) -> Option<(usize, usize)> {
    memchr::memrchr3_iter(b'\n', 0xE3, 0xEF, t.as_bytes()).find_map(|i| sentence_end_at(t, i))
}

fn sentence_end_at(t: &str, i: usize) -> Option<(usize, usize)> {
    let rest = &t.as_bytes()[i..];
    if rest[0] == b'\n' {
        Some((i, 1))
    } else if ["。", "！", "？"]
        .iter()
        .any(|e| rest.starts_with(e.as_bytes()))
    {
        Some((i, 3))
    } else {
        None
    }
}

/// One target line of `gwr targets`: a target fact with how it is worded
/// and bounded, or a goal without a number.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRecord {
    pub file: String,
    pub part: usize,
    pub metric_id: Option<String>,
    pub metric: String,
    pub kind: gwr_figures::Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<[i32; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<gwr_figures::Qualifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lo: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hi: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stretch: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<gwr_figures::Change>,
    /// about / at_least / at_most / range / exact (of the change when there
    /// is one, else of the level); `none` for a goal without a number.
    pub comparator: &'static str,
    pub wording: gwr_figures::targets::Wording,
    /// A goal without a number (城乡居民收入与经济增长同步).
    pub qualitative: bool,
    pub evidence: String,
    pub sentence: String,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub section: Option<String>,
    /// Later sentences of the same document that state the same target
    /// again (经济增长预期目标为5%左右 after 国内生产总值增长5%左右).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restated: Vec<String>,
}

/// What makes two target lines of one document the same target: metric,
/// period, and every number and bound (figures compared by their bits).
#[derive(PartialEq, Eq, Hash)]
struct TargetKey {
    part: usize,
    metric_id: Option<String>,
    /// The metric as written, for a target without a metric id.
    metric: Option<String>,
    year: Option<i32>,
    years: Option<[i32; 2]>,
    unit: Option<String>,
    qualifier: Option<gwr_figures::Qualifier>,
    /// Value, low, high and stretch bounds.
    figures: [Option<u64>; 4],
    change: Option<(
        gwr_figures::ChangeType,
        Option<gwr_figures::Qualifier>,
        [Option<u64>; 4],
    )>,
}

fn target_key(r: &TargetRecord) -> TargetKey {
    let bits = |v: Option<f64>| v.map(f64::to_bits);
    TargetKey {
        part: r.part,
        metric_id: r.metric_id.clone(),
        metric: r.metric_id.is_none().then(|| r.metric.clone()),
        year: r.year,
        years: r.years,
        unit: r.unit.clone(),
        qualifier: r.qualifier,
        figures: [bits(r.value), bits(r.lo), bits(r.hi), bits(r.stretch)],
        change: r.change.as_ref().map(|c| {
            (
                c.kind,
                c.qualifier,
                [bits(c.value), bits(c.lo), bits(c.hi), bits(c.stretch)],
            )
        }),
    }
}

/// Restatement rule: one target line per metric, period and figures in a
/// document; a later statement of the same target joins the first one's
/// `restated` evidence instead of making a second line.
fn merge_restatements(rows: Vec<TargetRecord>) -> Vec<TargetRecord> {
    let mut seen: std::collections::HashMap<TargetKey, usize> = std::collections::HashMap::new();
    let mut out: Vec<TargetRecord> = Vec::with_capacity(rows.len());
    for r in rows {
        let key = target_key(&r);
        match seen.get(&key) {
            Some(&i) => {
                let first = &mut out[i];
                if first.evidence != r.evidence && !first.restated.contains(&r.evidence) {
                    first.restated.push(r.evidence);
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(r);
            }
        }
    }
    out
}

fn comparator(q: Option<gwr_figures::Qualifier>) -> &'static str {
    match q {
        Some(gwr_figures::Qualifier::About) => "about",
        Some(gwr_figures::Qualifier::AtLeast) => "at_least",
        Some(gwr_figures::Qualifier::AtMost) => "at_most",
        Some(gwr_figures::Qualifier::Range) => "range",
        None => "exact",
    }
}

/// Target records of a parsed file: target facts, then goals without numbers.
pub fn target_records(file: &ParsedFile) -> Vec<TargetRecord> {
    target_records_from(file, &fact_records(file))
}

/// [`target_records`] from the file's fact records (as [`fact_records`]
/// gives them), for a caller that has built them already: a record is
/// built once.
pub fn target_records_from(file: &ParsedFile, facts: &[FactRecord]) -> Vec<TargetRecord> {
    let mut out: Vec<TargetRecord> = facts
        .iter()
        .filter(|r| r.kind == gwr_figures::Kind::Target)
        .cloned()
        .map(|r| {
            let q = r.change.as_ref().map_or(r.qualifier, |c| c.qualifier);
            let wording = gwr_figures::targets::wording(&r.evidence, &r.sentence);
            TargetRecord {
                comparator: comparator(q),
                wording,
                qualitative: false,
                file: r.file,
                part: r.part,
                metric_id: r.metric_id,
                metric: r.metric,
                kind: r.kind,
                year: r.year,
                years: r.years,
                value: r.value,
                unit: r.unit,
                qualifier: r.qualifier,
                lo: r.lo,
                hi: r.hi,
                stretch: r.stretch,
                change: r.change,
                evidence: r.evidence,
                sentence: r.sentence,
                region: r.region,
                region_code: r.region_code,
                section: r.section,
                restated: Vec::new(),
            }
        })
        .collect();
    for doc in &file.documents {
        for (span, clause) in gwr_figures::targets::qualitative(file.text(), doc) {
            // The goal is about its section's period, as the document's time
            // decided it: the plan year, or a five-year horizon.
            let period = doc
                .section_at(span.start)
                .and_then(|i| doc.sections[i].period)
                .or(doc.meta.plan_year.map(|p| [p, p]));
            let (year, years) = match period {
                Some([a, z]) if a == z => (Some(a), None),
                Some([a, z]) => (None, Some([a, z])),
                None => (None, None),
            };
            out.push(TargetRecord {
                file: file.name.clone(),
                part: doc.part,
                metric_id: None,
                metric: clause.clone(),
                kind: gwr_figures::Kind::Target,
                year,
                years,
                value: None,
                unit: None,
                qualifier: None,
                lo: None,
                hi: None,
                stretch: None,
                change: None,
                comparator: "none",
                wording: gwr_figures::targets::wording(
                    &clause,
                    &sentence_around(file.text(), span.clone()),
                ),
                qualitative: true,
                evidence: clause,
                sentence: sentence_around(file.text(), span.clone()),
                region: doc.meta.region.clone(),
                region_code: doc.meta.region_code.clone(),
                section: doc
                    .section_at(span.start)
                    .map(|i| doc.sections[i].id.clone()),
                restated: Vec::new(),
            });
        }
    }
    merge_restatements(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading by characters `sentence_around` must agree with.
    fn sentence_around_by_char(text: &str, r: std::ops::Range<usize>) -> String {
        let bound = gwr_doc::lines::MAX_SENTENCE_BYTES;
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (rs, re) = (floor(r.start), floor(r.end.max(r.start)));
        let lo = floor(rs.saturating_sub(bound));
        let hi = floor(re.saturating_add(bound));
        let start = text[lo..rs]
            .rfind(['。', '！', '？', '\n'])
            .map_or(lo, |i| {
                lo + i + text[lo + i..].chars().next().map_or(1, char::len_utf8)
            });
        let end = text[re..hi].find(['。', '！', '？', '\n']).map_or(hi, |i| {
            re + i
                + text[re + i..]
                    .chars()
                    .next()
                    .filter(|c| *c != '\n')
                    .map_or(0, char::len_utf8)
        });
        text.get(start..end).unwrap_or_default().to_string()
    }

    #[test]
    fn a_fact_sentence_runs_between_full_stops() {
        let t = "上年增长5%。今年预计增长6%！\n明年？";
        let at = t.find("预计").unwrap_or(0);
        assert_eq!(sentence_around(t, at..at + 6), "今年预计增长6%！");
        let at = t.find("明年").unwrap_or(0);
        assert_eq!(sentence_around(t, at..at + 3), "明年？");
    }

    proptest::proptest! {
        #[test]
        fn sentences_around_agree_with_a_reading_by_character(
            t in "[甲。！？（）\n，a]{0,20}",
            a in 0usize..64,
            n in 0usize..16,
        ) {
            let r = a.min(t.len())..(a + n).min(t.len());
            proptest::prop_assert_eq!(sentence_around(&t, r.clone()), sentence_around_by_char(&t, r));
        }
    }

    /// Every byte value at every place of a word of other bytes.
    #[test]
    fn each_byte_needs_escaping_where_it_stands() {
        for ground in [b'a', b' ', 0x7f, 0x80, 0xbf, 0xe4, 0xff] {
            for at in 0..8 {
                for c in 0..=255u8 {
                    let mut w = [ground; 8];
                    w[at] = c;
                    let by_byte = c < 0x20 || c == b'"' || c == b'\\';
                    assert_eq!(
                        json::may_escape(u64::from_le_bytes(w)) != 0,
                        by_byte,
                        "{w:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn eight_bytes_need_escaping_as_each_byte_says(w in proptest::prelude::any::<[u8; 8]>()) {
            let by_byte = w.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\');
            proptest::prop_assert_eq!(json::may_escape(u64::from_le_bytes(w)) != 0, by_byte);
        }
    }

    /// Strings with what JSON escapes, Han text and the odd character.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex(
            "[\\x00-\\x1f\"\\\\a/ 增长亿元\u{7f}\u{2028}\u{1F600}]{0,24}",
        )
        .expect("pattern")
    }

    /// Numbers of every kind serde_json writes: whole, fractional, huge,
    /// tiny, negative zero, not finite.
    fn number() -> impl proptest::strategy::Strategy<Value = Option<f64>> {
        use proptest::prelude::*;
        proptest::option::of(prop_oneof![
            any::<f64>(),
            (-1_000_000i64..1_000_000).prop_map(|n| n as f64 / 10.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0),
            Just(8.13e10),
            Just(1e-7),
        ])
    }

    fn fact_record() -> impl proptest::strategy::Strategy<Value = FactRecord> {
        use gwr_figures::{ChangeType, Kind, Qualifier};
        use proptest::prelude::*;
        let kind = prop_oneof![
            Just(Kind::Actual),
            Just(Kind::Estimate),
            Just(Kind::Target),
            Just(Kind::Forecast)
        ];
        let qualifier = proptest::option::of(prop_oneof![
            Just(Qualifier::About),
            Just(Qualifier::AtLeast),
            Just(Qualifier::AtMost),
            Just(Qualifier::Range)
        ]);
        let change_type = prop_oneof![
            Just(ChangeType::GrowthPct),
            Just(ChangeType::AvgGrowthPct),
            Just(ChangeType::Pp),
            Just(ChangeType::Times)
        ];
        let change = proptest::option::of(
            (
                change_type,
                number(),
                qualifier.clone(),
                number(),
                number(),
                number(),
            )
                .prop_map(|(kind, value, qualifier, lo, hi, stretch)| {
                    gwr_figures::Change {
                        kind,
                        value,
                        qualifier,
                        lo,
                        hi,
                        stretch,
                    }
                }),
        );
        let strings = (
            text(),
            proptest::option::of(text()),
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(proptest::collection::vec(text(), 0..4)),
            proptest::option::of(text()),
        );
        let numbers = (number(), number(), number(), number(), number());
        let ints = (
            any::<usize>(),
            proptest::option::of(any::<i32>()),
            proptest::option::of(any::<[i32; 2]>()),
            any::<[usize; 2]>(),
            any::<[usize; 2]>(),
            proptest::option::of(any::<i32>()),
            proptest::option::of(prop_oneof![Just("review"), Just("tasks")]),
        );
        (strings, numbers, ints, kind, qualifier, change).prop_map(
            |(
                (
                    file,
                    metric_id,
                    metric,
                    unit,
                    base_unit,
                    evidence,
                    section,
                    region,
                    region_code,
                    region_path,
                    level,
                ),
                (value, value_base, lo, hi, stretch),
                (part, year, years, source_span, char_span, report_plan_year, role),
                kind,
                qualifier,
                change,
            )| FactRecord {
                file,
                part,
                metric_id,
                metric,
                kind,
                year,
                years,
                value,
                unit,
                value_base,
                base_unit,
                qualifier,
                lo,
                hi,
                stretch,
                change,
                evidence,
                source_span,
                char_span,
                text_span: None,
                section,
                role,
                region,
                region_code,
                region_path,
                level,
                report_plan_year,
                sentence: String::new(),
            },
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        #[test]
        fn json_lines_are_serde_json(r in fact_record()) {
            let mut ours = Vec::new();
            r.write_json(&mut ours);
            let theirs = serde_json::to_vec(&r).expect("a record serializes");
            proptest::prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }
}
