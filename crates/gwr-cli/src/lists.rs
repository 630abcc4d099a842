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

/// A cell on one line: line breaks and other control characters (ESC…)
/// dropped, so stored text cannot break the layout or reach the terminal.
pub fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
}

fn when(year: Option<i32>, years: Option<[i32; 2]>) -> String {
    match (year, years) {
        (Some(y), _) => y.to_string(),
        (_, Some([a, b])) => format!("{a}–{b}"),
        _ => "?".into(),
    }
}

fn file_part(file: &str, part: usize) -> String {
    format!("{}#{part}", one_line(file))
}

pub fn targets(rows: &[TargetRecord], format: ListFormat, context: bool) -> io::Result<()> {
    let mut w = out();
    match format {
        ListFormat::Jsonl => jsonl(rows, &mut w)?,
        ListFormat::Csv => csv(rows, &mut w)?,
        ListFormat::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    // The floor (or the band) and the stretch figure.
                    let (measure, floor, stretch) = match (&r.change, r.value) {
                        (Some(c), _) => (
                            c.kind.as_str().to_string(),
                            match (c.lo, c.hi) {
                                (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
                                _ => num(c.value),
                            },
                            c.stretch,
                        ),
                        (None, Some(v)) => (
                            "level".to_string(),
                            format!("{v}{}", r.unit.clone().unwrap_or_default()),
                            r.stretch,
                        ),
                        _ => (String::new(), String::new(), None),
                    };
                    vec![
                        one_line(&r.region.clone().unwrap_or_default()),
                        when(r.year, r.years),
                        one_line(&r.metric_id.clone().unwrap_or_else(|| r.metric.clone())),
                        measure,
                        floor,
                        r.comparator.to_string(),
                        stretch.map(|s| s.to_string()).unwrap_or_default(),
                        r.wording.as_str().to_string(),
                        file_part(&r.file, r.part),
                        if context {
                            one_line(&crate::output::in_context(&r.sentence, &r.evidence))
                        } else {
                            one_line(&r.evidence)
                        },
                    ]
                })
                .collect();
            crate::width::aligned(
                &mut w,
                &[
                    "region",
                    "year",
                    "metric",
                    "measure",
                    "figure",
                    "comparator",
                    "stretch",
                    "wording",
                    "file",
                    "evidence",
                ],
                &cells,
                28,
            )?;
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
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let fulfils = r
                        .fulfils
                        .as_ref()
                        .map(|f| format!(" (fulfils {f})"))
                        .unwrap_or_default();
                    vec![
                        one_line(&r.region.clone().unwrap_or_default()),
                        r.plan_year
                            .map(|y| y.to_string())
                            .unwrap_or_else(|| "?".into()),
                        r.kind.as_str().to_string(),
                        r.stage.as_str().to_string(),
                        format!(
                            "{}/{}",
                            r.index.map(|i| i.to_string()).unwrap_or_else(|| "—".into()),
                            r.announced
                                .map(|i| i.to_string())
                                .unwrap_or_else(|| "?".into())
                        ),
                        one_line(&r.title.clone().unwrap_or_default()),
                        file_part(&r.file, r.part),
                        format!(
                            "{}{fulfils}",
                            one_line(&r.text).chars().take(80).collect::<String>()
                        ),
                    ]
                })
                .collect();
            crate::width::aligned(
                &mut w,
                &[
                    "region", "year", "kind", "stage", "n/of", "title", "file", "text",
                ],
                &cells,
                28,
            )?;
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
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        one_line(&r.region.clone().unwrap_or_default()),
                        r.metric_id.clone(),
                        r.year.to_string(),
                        r.measure.clone(),
                        match r.target_hi {
                            Some(h) => format!("{}–{h}", r.target),
                            None => r.target.to_string(),
                        },
                        r.comparator.to_string(),
                        num(r.outcome),
                        r.verdict.as_str().to_string(),
                        match r.gap_hi {
                            Some(h) => format!("{} / {h}", num(r.gap)),
                            None => num(r.gap),
                        },
                        format!(
                            "{}{} → {}",
                            one_line(&r.target_evidence),
                            if r.restated.is_empty() {
                                String::new()
                            } else {
                                format!(" (+{} restated)", r.restated.len())
                            },
                            one_line(&r.outcome_evidence.clone().unwrap_or_default())
                        ),
                    ]
                })
                .collect();
            crate::width::aligned(
                &mut w,
                &[
                    "region",
                    "metric",
                    "year",
                    "measure",
                    "target",
                    "comparator",
                    "outcome",
                    "verdict",
                    "gap",
                    "evidence (target → outcome)",
                ],
                &cells,
                28,
            )?;
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
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let change = r
                        .change
                        .as_ref()
                        .map(|c| format!("{} {}", c.kind.as_str(), num(c.value.or(c.lo))))
                        .unwrap_or_default();
                    vec![
                        one_line(&r.region.clone().unwrap_or_default()),
                        r.level.clone().unwrap_or_default(),
                        one_line(&r.parent.clone().unwrap_or_default()),
                        r.kind.as_str().to_string(),
                        num(r.value),
                        r.unit.clone().unwrap_or_default(),
                        change,
                        one_line(&r.evidence),
                    ]
                })
                .collect();
            crate::width::aligned(
                &mut w,
                &[
                    "region", "level", "parent", "kind", "value", "unit", "change", "evidence",
                ],
                &cells,
                28,
            )?;
        }
    }
    w.flush()
}

/// Rows of named values as an aligned table.
#[cfg_attr(not(feature = "store"), allow(dead_code))]
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
            .map(|r| crate::width::width(&r[i]))
            .chain(std::iter::once(crate::width::width(&cols[i])))
            .max()
            .unwrap_or(0)
            .min(40)
    };
    let widths: Vec<usize> = (0..cols.len()).map(width).collect();
    let line = |vals: Vec<String>| -> String {
        vals.iter()
            .zip(&widths)
            .map(|(v, w)| crate::width::fit(v, *w))
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
#[cfg_attr(not(feature = "store"), allow(dead_code))]
pub struct RowWriter<W: Write> {
    w: W,
    format: ListFormat,
    cols: Vec<String>,
    /// Table rows held until the widths are known.
    pending: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

/// Rows a table looks at to size its columns.
#[cfg_attr(not(feature = "store"), allow(dead_code))]
const TABLE_SAMPLE: usize = 200;

#[cfg_attr(not(feature = "store"), allow(dead_code))]
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
                    .map(|c| crate::width::width(c))
                    .chain(std::iter::once(crate::width::width(&self.cols[i])))
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
            .map(|(v, w)| crate::width::fit(v, *w))
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

/// `gwr metrics`: every headline metric with its names.
pub fn metrics(table: &gwr_engine::MetricTable, format: ListFormat) -> io::Result<()> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = table
        .metrics
        .iter()
        .map(|m| {
            let mut r = serde_json::Map::new();
            r.insert("id".into(), m.id.clone().into());
            r.insert("name".into(), m.name.clone().into());
            let units = if m.rate {
                "%".to_string()
            } else {
                m.dimensions.join(" ")
            };
            r.insert("units".into(), units.into());
            let names = table.names_of(&m.id);
            let others: Vec<&str> = names.iter().skip(1).map(String::as_str).collect();
            r.insert("names".into(), others.join("、").into());
            r
        })
        .collect();
    let cols: Vec<String> = ["id", "name", "units", "names"].map(String::from).to_vec();
    match format {
        ListFormat::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    cols.iter()
                        .map(|c| r.get(c).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            let mut w = out();
            crate::width::aligned(&mut w, &["id", "name", "units", "names"], &cells, 40)?;
            w.flush()
        }
        ListFormat::Csv => csv_out(&rows),
        ListFormat::Jsonl => jsonl_out(&rows),
    }
}
