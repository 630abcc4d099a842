//! Printing the list commands: targets, commitments, track, compare.

use crate::ListFormat;
use gwr_engine::records::{CommitmentRecord, TargetRecord};
use gwr_engine::tracking::{Compared, Tracked};
use serde::Serialize;
use std::io::{self, BufWriter, Write};

fn out() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV with the union of the records' top-level fields as columns; nested
/// values are written as JSON.
pub fn csv<T: Serialize>(rows: &[T], w: &mut impl Write) -> io::Result<()> {
    let values: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .iter()
        .filter_map(|r| serde_json::to_value(r).ok())
        .filter_map(|v| v.as_object().cloned())
        .collect();
    let mut cols: Vec<String> = Vec::new();
    for v in &values {
        for k in v.keys() {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
    }
    writeln!(w, "{}", cols.join(","))?;
    for v in &values {
        let line: Vec<String> = cols
            .iter()
            .map(|c| csv_field(&v.get(c).map(cell).unwrap_or_default()))
            .collect();
        writeln!(w, "{}", line.join(","))?;
    }
    Ok(())
}

pub fn jsonl<T: Serialize>(rows: &[T], w: &mut impl Write) -> io::Result<()> {
    for r in rows {
        serde_json::to_writer(&mut *w, r)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

fn name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .map(|x| cell(&x))
        .unwrap_or_default()
}

/// A cell on one line: line breaks and other control characters (ESC…)
/// dropped, so stored text cannot break the layout or reach the terminal.
fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
}

pub fn targets(rows: &[TargetRecord], format: ListFormat) -> io::Result<()> {
    let mut w = out();
    match format {
        ListFormat::Jsonl => jsonl(rows, &mut w)?,
        ListFormat::Csv => csv(rows, &mut w)?,
        ListFormat::Table => {
            for r in rows {
                let when = match (r.year, r.years) {
                    (Some(y), _) => y.to_string(),
                    (_, Some([a, b])) => format!("{a}-{b}"),
                    _ => "?".into(),
                };
                let what = match (&r.change, r.value) {
                    (Some(c), _) => format!("{} {}", name(&c.kind), num(c.value.or(c.lo))),
                    (None, Some(v)) => format!("{v}{}", r.unit.clone().unwrap_or_default()),
                    _ => String::new(),
                };
                writeln!(
                    w,
                    "{}#{} {:<6} {:<20} {:<22} {:<9} {:<8} | {}",
                    r.file,
                    r.part,
                    when,
                    r.metric_id.clone().unwrap_or_else(|| one_line(&r.metric)),
                    what,
                    r.comparator,
                    name(&r.wording),
                    one_line(&r.evidence)
                )?;
            }
        }
    }
    w.flush()
}

pub fn commitments(rows: &[CommitmentRecord], format: ListFormat) -> io::Result<()> {
    let mut w = out();
    match format {
        ListFormat::Jsonl => jsonl(rows, &mut w)?,
        ListFormat::Csv => csv(rows, &mut w)?,
        ListFormat::Table => {
            for r in rows {
                let fulfils = r
                    .fulfils
                    .as_ref()
                    .map(|f| format!(" (fulfils {f})"))
                    .unwrap_or_default();
                writeln!(
                    w,
                    "{}#{} {:<18} {:<10} {:>3}/{:<3} {} | {}{fulfils}",
                    r.file,
                    r.part,
                    name(&r.kind),
                    name(&r.stage),
                    r.index.map(|i| i.to_string()).unwrap_or_else(|| "—".into()),
                    r.announced
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| "?".into()),
                    r.title.clone().unwrap_or_default(),
                    one_line(&r.text).chars().take(80).collect::<String>()
                )?;
            }
        }
    }
    w.flush()
}

pub fn tracked(rows: &[Tracked], format: ListFormat) -> io::Result<()> {
    let mut w = out();
    match format {
        ListFormat::Jsonl => jsonl(rows, &mut w)?,
        ListFormat::Csv => csv(rows, &mut w)?,
        ListFormat::Table => {
            for r in rows {
                writeln!(
                    w,
                    "{:<8} {:<20} {} {:<16} target {} {:<9} outcome {:<8} {:<10} gap {:<8} | {} → {}",
                    r.region.clone().unwrap_or_default(),
                    r.metric_id,
                    r.year,
                    r.measure,
                    r.target,
                    r.comparator,
                    num(r.outcome),
                    name(&r.verdict),
                    num(r.gap),
                    one_line(&r.target_evidence),
                    one_line(&r.outcome_evidence.clone().unwrap_or_default())
                )?;
            }
        }
    }
    w.flush()
}

pub fn compared(rows: &[Compared], format: ListFormat) -> io::Result<()> {
    let mut w = out();
    match format {
        ListFormat::Jsonl => jsonl(rows, &mut w)?,
        ListFormat::Csv => csv(rows, &mut w)?,
        ListFormat::Table => {
            for r in rows {
                let change = r
                    .change
                    .as_ref()
                    .map(|c| format!("{} {}", name(&c.kind), num(c.value.or(c.lo))))
                    .unwrap_or_default();
                writeln!(
                    w,
                    "{:<10} {:<8} {:<10} {:<8} {:>12} {:<6} {:<18} | {}",
                    r.region.clone().unwrap_or_default(),
                    r.level.clone().unwrap_or_default(),
                    r.parent.clone().unwrap_or_default(),
                    name(&r.kind),
                    num(r.value),
                    r.unit.clone().unwrap_or_default(),
                    change,
                    one_line(&r.evidence)
                )?;
            }
        }
    }
    w.flush()
}

/// Rows of named values as an aligned table.
pub fn table(
    cols: &[String],
    rows: &[serde_json::Map<String, serde_json::Value>],
) -> io::Result<()> {
    let mut w = out();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| one_line(&r.get(c).map(cell).unwrap_or_default()))
                .collect()
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|r| r[i].chars().count())
            .chain(std::iter::once(cols[i].chars().count()))
            .max()
            .unwrap_or(0)
            .min(40)
    };
    let widths: Vec<usize> = (0..cols.len()).map(width).collect();
    let line = |vals: Vec<String>| -> String {
        vals.iter()
            .zip(&widths)
            .map(|(v, w)| {
                let v: String = v.chars().take(*w).collect();
                let pad = w.saturating_sub(v.chars().count());
                format!("{v}{}", " ".repeat(pad))
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(w, "{}", line(cols.to_vec()))?;
    for r in cells {
        writeln!(w, "{}", line(r))?;
    }
    w.flush()
}

pub fn csv_out(rows: &[serde_json::Map<String, serde_json::Value>]) -> io::Result<()> {
    let mut w = out();
    csv(rows, &mut w)?;
    w.flush()
}

pub fn jsonl_out(rows: &[serde_json::Map<String, serde_json::Value>]) -> io::Result<()> {
    let mut w = out();
    jsonl(rows, &mut w)?;
    w.flush()
}

/// Rows of a query written as they come: CSV and JSONL row by row; a table
/// sizes its columns on the first rows and streams the rest.
pub struct RowWriter<W: Write> {
    w: W,
    format: ListFormat,
    cols: Vec<String>,
    /// Table rows held until the widths are known.
    pending: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

/// Rows a table looks at to size its columns.
const TABLE_SAMPLE: usize = 200;

impl<W: Write> RowWriter<W> {
    pub fn new(mut w: W, format: ListFormat, cols: &[String]) -> io::Result<Self> {
        if format == ListFormat::Csv {
            let header: Vec<String> = cols.iter().map(|c| csv_field(c)).collect();
            writeln!(w, "{}", header.join(","))?;
        }
        Ok(RowWriter {
            w,
            format,
            cols: cols.to_vec(),
            pending: Vec::new(),
            widths: None,
        })
    }

    pub fn row(&mut self, values: Vec<serde_json::Value>) -> io::Result<()> {
        match self.format {
            ListFormat::Csv => {
                let line: Vec<String> = values.iter().map(|v| csv_field(&cell(v))).collect();
                writeln!(self.w, "{}", line.join(","))
            }
            ListFormat::Jsonl => {
                let record: serde_json::Map<String, serde_json::Value> =
                    self.cols.iter().cloned().zip(values).collect();
                serde_json::to_writer(&mut self.w, &record)?;
                self.w.write_all(b"\n")
            }
            ListFormat::Table => {
                let cells: Vec<String> = values.iter().map(|v| one_line(&cell(v))).collect();
                if self.widths.is_some() {
                    return self.table_line(&cells);
                }
                self.pending.push(cells);
                if self.pending.len() >= TABLE_SAMPLE {
                    self.flush_table()?;
                }
                Ok(())
            }
        }
    }

    fn flush_table(&mut self) -> io::Result<()> {
        if self.widths.is_some() {
            return Ok(());
        }
        let widths: Vec<usize> = (0..self.cols.len())
            .map(|i| {
                self.pending
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .chain(std::iter::once(self.cols[i].chars().count()))
                    .max()
                    .unwrap_or(0)
                    .min(40)
            })
            .collect();
        self.widths = Some(widths);
        let header = self.cols.clone();
        self.table_line(&header)?;
        for r in std::mem::take(&mut self.pending) {
            self.table_line(&r)?;
        }
        Ok(())
    }

    fn table_line(&mut self, vals: &[String]) -> io::Result<()> {
        let widths = self.widths.as_deref().unwrap_or_default();
        let line: Vec<String> = vals
            .iter()
            .zip(widths)
            .map(|(v, w)| {
                let v: String = v.chars().take(*w).collect();
                let pad = w.saturating_sub(v.chars().count());
                format!("{v}{}", " ".repeat(pad))
            })
            .collect();
        writeln!(self.w, "{}", line.join("  "))
    }

    /// Write what is held and flush; the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == ListFormat::Table {
            self.flush_table()?;
        }
        self.w.flush()?;
        Ok(self.w)
    }
}
