//! Printing parsed files in the chosen format.

use crate::OutputFormat;
use gwr_engine::ParsedFile;
use gwr_engine::records::{DocRecord, doc_records};
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;

pub struct Writer<W: Write> {
    out: W,
    format: OutputFormat,
    json_items: usize,
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
        }
    }

    pub fn file(&mut self, path: &Path, file: &ParsedFile) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                for r in doc_records(file) {
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
                    documents: doc_records(file),
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
        let w = &mut self.out;
        let p = &file.prepared;
        writeln!(
            w,
            "{}  ({:?}, {}, {} chars, {} document{})",
            path.display(),
            p.format,
            p.encoding,
            file.text().chars().count(),
            file.documents.len(),
            if file.documents.len() == 1 { "" } else { "s" }
        )?;
        for r in doc_records(file) {
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
            if !r.inferred.is_empty() {
                writeln!(w, "      inferred {}", r.inferred.join(", "))?;
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
