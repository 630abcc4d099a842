//! Printing parsed files in the chosen format.

use crate::{FactFilter, FactFormat, OutputFormat};
use gwr_engine::ParsedFile;
use gwr_engine::records::{DocRecord, FactRecord, doc_records, fact_records_with};
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;

pub struct Writer<W: Write> {
    out: W,
    format: OutputFormat,
    json_items: usize,
    explain: bool,
}

#[derive(Serialize)]
struct FileRecord<'a> {
    path: String,
    format: gwr_engine::Format,
    encoding: &'a str,
    chars: usize,
    warnings: &'a [gwr_engine::Warning],
    documents: Vec<DocRecord>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: OutputFormat) -> Self {
        Self {
            out,
            format,
            json_items: 0,
            explain: false,
        }
    }

    /// Print the cues behind every document field.
    pub fn explain(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }

    fn records(&self, file: &ParsedFile) -> Vec<DocRecord> {
        let mut rs = doc_records(file);
        if !self.explain {
            for r in &mut rs {
                r.cues.clear();
            }
        }
        rs
    }

    pub fn file(&mut self, path: &Path, file: &ParsedFile) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                for r in self.records(file) {
                    serde_json::to_writer(&mut self.out, &r)?;
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
            OutputFormat::Json => {
                let rec = FileRecord {
                    path: path.display().to_string(),
                    format: file.prepared.format,
                    encoding: &file.prepared.encoding,
                    chars: file.text().chars().count(),
                    warnings: &file.prepared.warnings,
                    documents: self.records(file),
                };
                self.out
                    .write_all(if self.json_items == 0 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut self.out, &rec)?;
                self.json_items += 1;
                Ok(())
            }
            OutputFormat::Text => self.summary(path, file),
        }
    }

    pub fn finish(&mut self) -> io::Result<()> {
        if self.format == OutputFormat::Json {
            self.out.write_all(if self.json_items == 0 {
                b"[]\n"
            } else {
                b"\n]\n"
            })?;
        }
        self.out.flush()
    }

    fn summary(&mut self, path: &Path, file: &ParsedFile) -> io::Result<()> {
        let records = self.records(file);
        let w = &mut self.out;
        let p = &file.prepared;
        writeln!(
            w,
            "{}  ({:?}, {}, {} chars, {} document{})",
            crate::inputs::shown(path),
            p.format,
            p.encoding,
            file.text().chars().count(),
            file.documents.len(),
            if file.documents.len() == 1 { "" } else { "s" }
        )?;
        for r in records {
            let none = || "—".to_string();
            writeln!(
                w,
                "  [{}] {}  {}",
                r.part,
                r.doc_type,
                r.title.clone().unwrap_or_else(none)
            )?;
            let path_s = r
                .region_path
                .as_ref()
                .map(|p| p.join(" > "))
                .unwrap_or_default();
            writeln!(
                w,
                "      region   {} {} {} {}",
                r.region.clone().unwrap_or_else(none),
                r.level.clone().unwrap_or_default(),
                r.region_code.clone().unwrap_or_default(),
                path_s
            )?;
            if r.speaker.is_some() || r.meeting.is_some() || r.date.is_some() {
                writeln!(
                    w,
                    "      speaker  {} {}",
                    r.speaker_title.clone().unwrap_or_default(),
                    r.speaker.clone().unwrap_or_else(none)
                )?;
                writeln!(
                    w,
                    "      meeting  {}",
                    r.meeting.clone().unwrap_or_else(none)
                )?;
                writeln!(w, "      date     {}", r.date.clone().unwrap_or_else(none))?;
            }
            let y = |v: Option<i32>| v.map_or_else(none, |y| y.to_string());
            writeln!(
                w,
                "      years    review {} · plan {}",
                y(r.review_year),
                y(r.plan_year)
            )?;
            if let Some([a, z]) = r.review_span {
                writeln!(w, "      review   {a}–{z}")?;
            }
            if !r.inferred.is_empty() {
                writeln!(w, "      inferred {}", r.inferred.join(", "))?;
            }
            if !r.cues.is_empty() {
                writeln!(w, "      cues (✓ won; field  value  rule weight  text)")?;
                for c in &r.cues {
                    let text: String = c.evidence.chars().take(40).collect();
                    writeln!(
                        w,
                        "        {} {:<13} {:<24} {} {}{}  {}",
                        if c.won { "✓" } else { " " },
                        c.field,
                        c.value,
                        c.rule,
                        c.weight,
                        if c.indirect { " (indirect)" } else { "" },
                        text.replace('\n', " ")
                    )?;
                }
            }
            for s in r.outline.iter().filter(|s| s.level <= 2) {
                let indent = if s.level == 1 { "      " } else { "          " };
                match s.role {
                    Some(role) => writeln!(w, "{indent}{} {}  [{role}]", s.id, s.title)?,
                    None => writeln!(w, "{indent}{} {}", s.id, s.title)?,
                }
            }
        }
        let masked = p
            .warnings
            .iter()
            .filter(|x| x.kind == gwr_engine::WarningKind::Masked)
            .count();
        let other = p.warnings.len() - masked;
        if !p.warnings.is_empty() {
            writeln!(w, "  warnings: {masked} masked, {other} other")?;
        }
        Ok(())
    }
}

/// Prints facts.
pub struct FactWriter<W: Write> {
    out: W,
    lines: FactLines,
    header_done: bool,
    text_header_done: bool,
}

/// The lines facts are printed as: their format and which are wanted. It
/// holds no writer, so the lines of a file can be made on any thread
/// ([`FactLines::render`]) and printed by a [`FactWriter`].
#[derive(Clone)]
pub struct FactLines {
    format: FactFormat,
    filter: FactFilter,
}

/// Context rule: a sentence with its evidence marked 【…】, for `--context`.
/// The evidence is the source's text and the sentence the normalized one,
/// so they are matched without white space and with full-width forms read
/// as ASCII; a sentence that does not hold it is followed by it in 【】.
pub fn in_context(sentence: &str, evidence: &str) -> String {
    let fold = |c: char| match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    let keep = |c: &char| !c.is_whitespace() && !c.is_control();
    let ev: Vec<char> = evidence.chars().filter(keep).map(fold).collect();
    let sen: Vec<(usize, char)> = sentence
        .char_indices()
        .filter(|(_, c)| keep(c))
        .map(|(i, c)| (i, fold(c)))
        .collect();
    let clean: String = sentence.chars().filter(|c| !c.is_control()).collect();
    let found = (!ev.is_empty() && ev.len() <= sen.len())
        .then(|| {
            (0..=sen.len() - ev.len()).find(|&k| {
                sen[k..k + ev.len()]
                    .iter()
                    .map(|x| x.1)
                    .eq(ev.iter().copied())
            })
        })
        .flatten();
    match found {
        Some(k) => {
            let start = sen[k].0;
            let (last, c) = sen[k + ev.len() - 1];
            let end = last + c.len_utf8();
            let part = |s: &str| -> String { s.chars().filter(|c| !c.is_control()).collect() };
            format!(
                "{}【{}】{}",
                part(&sentence[..start]),
                part(&sentence[start..end]),
                part(&sentence[end..])
            )
        }
        None if clean.is_empty() => format!("【{}】", evidence.replace(['\n', '\r'], "")),
        None => format!("{clean} 【{}】", evidence.replace(['\n', '\r'], "")),
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

const CSV_HEADER: &str = "file,part,metric_id,metric,kind,year,year_from,year_to,value,unit,qualifier,lo,hi,stretch,change_type,change_value,change_qualifier,change_lo,change_hi,change_stretch,section,role,evidence";

impl<W: Write> FactWriter<W> {
    pub fn new(out: W, format: FactFormat, filter: FactFilter) -> Self {
        Self {
            out,
            lines: FactLines { format, filter },
            header_done: false,
            text_header_done: false,
        }
    }

    /// The lines this writer prints, to make them elsewhere.
    pub fn lines(&self) -> FactLines {
        self.lines.clone()
    }

    /// Print lines made by [`FactLines::render`], after the header when
    /// they are the first.
    pub fn write_rendered(&mut self, body: &[u8]) -> io::Result<()> {
        if body.is_empty() {
            return Ok(());
        }
        match self.lines.format {
            FactFormat::Csv if !self.header_done => {
                self.header_done = true;
                let extra = if self.lines.filter.context {
                    ",sentence"
                } else {
                    ""
                };
                writeln!(self.out, "{CSV_HEADER}{extra}")?;
            }
            FactFormat::Table if !self.text_header_done => {
                self.text_header_done = true;
                use crate::width::fit;
                writeln!(
                    self.out,
                    "{}  {}  {}  {}  {}  {}  evidence",
                    fit("region", 12),
                    fit("kind", 8),
                    fit("year", 9),
                    fit("metric", 24),
                    fit("figure", 30),
                    fit("file", 28),
                )?;
            }
            _ => {}
        }
        self.out.write_all(body)
    }

    pub fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl FactLines {
    fn wanted(&self, r: &FactRecord) -> bool {
        let f = &self.filter;
        (!f.headline || r.metric_id.is_some())
            && (f.metrics.is_empty()
                || r.metric_id
                    .as_ref()
                    .is_some_and(|id| f.metrics.contains(id)))
            && f.kind.is_none_or(|k| k == r.kind)
    }

    /// One file's lines, without the table's or CSV's header: made where
    /// the file was parsed (a worker), so that the thread that prints only
    /// writes bytes. See [`FactWriter::write_rendered`].
    pub fn render(&self, file: &ParsedFile) -> Vec<u8> {
        // A fact's sentence is shown only with its context.
        let records = fact_records_with(file, self.filter.context);
        // About 450 bytes a fact as JSON: one buffer, not one per doubling.
        let mut out = Vec::with_capacity((records.len() * 512).min(1 << 24));
        for r in records {
            if !self.wanted(&r) {
                continue;
            }
            // Writing into a Vec cannot fail.
            let _ = match self.format {
                FactFormat::Jsonl => {
                    r.write_json(&mut out);
                    out.push(b'\n');
                    Ok(())
                }
                FactFormat::Csv => self.csv(&r, &mut out),
                FactFormat::Table => self.text(&r, &mut out),
            };
        }
        out
    }

    fn csv(&self, r: &FactRecord, out: &mut Vec<u8>) -> io::Result<()> {
        let c = r.change.as_ref();
        let fields = [
            csv_field(&r.file),
            r.part.to_string(),
            r.metric_id.clone().unwrap_or_default(),
            csv_field(&r.metric),
            r.kind.as_str().to_string(),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            r.years.map(|y| y[0].to_string()).unwrap_or_default(),
            r.years.map(|y| y[1].to_string()).unwrap_or_default(),
            num(r.value),
            r.unit.clone().unwrap_or_default(),
            r.qualifier
                .map(|q| q.as_str())
                .unwrap_or_default()
                .to_string(),
            num(r.lo),
            num(r.hi),
            num(r.stretch),
            c.map(|c| c.kind.as_str()).unwrap_or_default().to_string(),
            num(c.and_then(|c| c.value)),
            c.and_then(|c| c.qualifier)
                .map(|q| q.as_str())
                .unwrap_or_default()
                .to_string(),
            num(c.and_then(|c| c.lo)),
            num(c.and_then(|c| c.hi)),
            num(c.and_then(|c| c.stretch)),
            r.section.clone().unwrap_or_default(),
            r.role.unwrap_or_default().to_string(),
            csv_field(&r.evidence),
        ];
        if self.filter.context {
            return writeln!(out, "{},{}", fields.join(","), csv_field(&r.sentence));
        }
        writeln!(out, "{}", fields.join(","))
    }

    fn text(&self, r: &FactRecord, out: &mut Vec<u8>) -> io::Result<()> {
        let when = match (r.year, r.years) {
            (Some(y), _) => y.to_string(),
            (_, Some([a, b])) => format!("{a}-{b}"),
            _ => "?".into(),
        };
        let mut what = String::new();
        if let Some(v) = r.value {
            what.push_str(&format!("{v}{}", r.unit.clone().unwrap_or_default()));
        }
        if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
            what.push_str(&format!("{lo}–{hi}{}", r.unit.clone().unwrap_or_default()));
        }
        if let Some(q) = &r.qualifier {
            what.push_str(&format!(" ({})", q.as_str()));
        }
        if let Some(c) = &r.change {
            if !what.is_empty() {
                what.push(' ');
            }
            what.push_str(&format!("{} {}", c.kind.as_str(), num(c.value)));
            if let (Some(lo), Some(hi)) = (c.lo, c.hi) {
                what.push_str(&format!("{lo}–{hi}"));
            }
            if let Some(q) = &c.qualifier {
                what.push_str(&format!(" ({})", q.as_str()));
            }
            if let Some(s) = c.stretch {
                what.push_str(&format!(" stretch {s}"));
            }
        }
        use crate::width::fit;
        let clean = |s: &str| -> String { s.chars().filter(|c| !c.is_control()).collect() };
        writeln!(
            out,
            "{}  {}  {}  {}  {}  {}  {}",
            fit(&clean(&r.region.clone().unwrap_or_default()), 12),
            fit(r.kind.as_str(), 8),
            fit(&when, 9),
            fit(
                &clean(&r.metric_id.clone().unwrap_or_else(|| r.metric.clone())),
                24
            ),
            fit(&what, 30),
            fit(&format!("{}#{}", clean(&r.file), r.part), 28),
            if self.filter.context {
                in_context(&r.sentence, &r.evidence)
            } else {
                clean(&r.evidence)
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::in_context;

    #[test]
    fn evidence_is_marked_in_its_sentence() {
        assert_eq!(
            in_context(
                "今年主要目标是：地区生产总值增长6%左右；就业1万人。",
                "地区生产总值增长6%左右"
            ),
            "今年主要目标是：【地区生产总值增长6%左右】；就业1万人。"
        );
        // Source and normalized text differ in breaks and full-width forms.
        assert_eq!(
            in_context("财政收入增长8%,支出增长5%。", "财政收入增长\n8％"),
            "【财政收入增长8%】,支出增长5%。"
        );
        assert_eq!(in_context("别的句子。", "增长5%"), "别的句子。 【增长5%】");
        assert_eq!(in_context("", "增长5%"), "【增长5%】");
    }
}
