//! `gwr.Store`: the corpus store (ingest, search, SQL, export), as `gwr
//! ingest`, `gwr search`, `gwr sql` and `gwr export` use it.

use crate::{Failure, Run, gwr_error, inputs, table::ArrowStream};
use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use gwr_store::export::{ValueKind, arrow_type_of};
use gwr_store::{SearchFilter, Store as Inner, StoreError, content_hash};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A store directory (`DIR/gwr.sqlite`), open for ingest and queries.
#[pyclass(module = "gwr._gwr", frozen)]
pub struct Store {
    inner: Mutex<Option<Inner>>,
    path: PathBuf,
    read_only: bool,
}

fn store_error(dir: &Path, e: StoreError) -> PyErr {
    gwr_error(format!("{}: {e}", inputs::shown(dir)))
}

impl Store {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> Result<T, StoreError>) -> PyResult<T> {
        let mut guard = self
            .inner
            .lock()
            .map_err(|_| gwr_error("the store was left unusable by an earlier error"))?;
        let store = guard.as_mut().ok_or_else(|| {
            gwr_error(format!(
                "{}: the store is closed",
                inputs::shown(&self.path)
            ))
        })?;
        f(store).map_err(|e| store_error(&self.path, e))
    }
}

/// A file parsed for the store: its hash, size and rows, or `None` when the
/// store holds it already.
type Parsed = Result<Option<(String, usize, gwr_store::FileRows)>, String>;

/// Typed columns of a query result: integers, reals, else text.
fn query_batch(cols: &[String], rows: &[Vec<serde_json::Value>]) -> Result<RecordBatch, String> {
    use serde_json::Value;
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (i, name) in cols.iter().enumerate() {
        let values = || rows.iter().map(move |r| r.get(i).unwrap_or(&Value::Null));
        let t = arrow_type_of(values().map(|v| match v {
            Value::Null => ValueKind::Null,
            v if v.is_i64() => ValueKind::Integer,
            v if v.is_number() => ValueKind::Real,
            _ => ValueKind::Other,
        }));
        let array: ArrayRef = match t {
            DataType::Int64 => {
                let mut b = Int64Builder::with_capacity(rows.len());
                values().for_each(|v| b.append_option(v.as_i64()));
                Arc::new(b.finish())
            }
            DataType::Float64 => {
                let mut b = Float64Builder::with_capacity(rows.len());
                values().for_each(|v| b.append_option(v.as_f64()));
                Arc::new(b.finish())
            }
            _ => {
                let mut b = StringBuilder::new();
                for v in values() {
                    match v {
                        Value::Null => b.append_null(),
                        Value::String(s) => b.append_value(s),
                        other => b.append_value(other.to_string()),
                    }
                }
                Arc::new(b.finish())
            }
        };
        fields.push(Field::new(name, t, true));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| e.to_string())
}

#[pymethods]
impl Store {
    /// Open (and with `read_only=False` create or migrate) the store in
    /// directory `path`.
    #[new]
    #[pyo3(signature = (path, read_only = false))]
    fn new(py: Python<'_>, path: PathBuf, read_only: bool) -> PyResult<Store> {
        let opened = py.detach(|| {
            if read_only {
                Inner::open_read_only(&path)
            } else {
                Inner::open(&path)
            }
        });
        let inner = opened.map_err(|e| store_error(&path, e))?;
        Ok(Store {
            inner: Mutex::new(Some(inner)),
            path,
            read_only,
        })
    }

    /// The store's directory.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Close the store; later calls raise `GwrError`.
    fn close(&self, py: Python<'_>) {
        py.detach(|| {
            if let Ok(mut g) = self.inner.lock() {
                g.take();
            }
        })
    }

    /// Is the store closed?
    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        py.detach(|| self.inner.lock().map_or(true, |g| g.is_none()))
    }

    /// Ingest files (regular files, as `gwr.collect` lists them): parsed in
    /// parallel, each batch written in one transaction. Returns a dict of
    /// counts (`added`, `known`, `failed`) and `failures` (path, message).
    #[pyo3(signature = (files, jobs = None, progress = None, file_timeout = None, terms = None))]
    fn ingest<'py>(
        &self,
        py: Python<'py>,
        files: Vec<PathBuf>,
        jobs: Option<usize>,
        progress: Option<Py<PyAny>>,
        file_timeout: Option<f64>,
        terms: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        if self.read_only {
            return Err(gwr_error(format!(
                "{}: the store was opened read-only; open it with read_only=False to ingest",
                inputs::shown(&self.path)
            )));
        }
        let run = Run::new(jobs, file_timeout, progress)?;
        let (added, known, failed, failures, new_terms) = py.detach(|| {
            let mut guard = self
                .inner
                .lock()
                .map_err(|_| gwr_error("the store was left unusable by an earlier error"))?;
            let store = guard.as_mut().ok_or_else(|| {
                gwr_error(format!(
                    "{}: the store is closed",
                    inputs::shown(&self.path)
                ))
            })?;
            let fail = |e: StoreError| store_error(&self.path, e);
            let new_terms = match &terms {
                Some(words) if !words.is_empty() => store.add_terms(words).map_err(fail)?,
                _ => 0,
            };
            let segmenter = store.segmenter().map_err(fail)?;
            let known_hashes = store.hashes().map_err(fail)?;
            let engine = crate::engine();
            let walk = run.walk;
            let parse_batch = |batch: &[PathBuf]| -> Vec<(PathBuf, Parsed)> {
                use rayon::prelude::*;
                run.install(|| {
                    batch
                        .par_iter()
                        .map(|path| {
                            let result = (|| {
                                let bytes = inputs::read(path)?;
                                let hash = content_hash(&bytes);
                                if known_hashes.contains(&hash) {
                                    return Ok(None);
                                }
                                let name = inputs::display_name(path);
                                let budget = walk.budget(bytes.len());
                                let rows =
                                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                        engine
                                            .parse_bytes_within(&name, &bytes, &budget)
                                            .map(|file| gwr_store::FileRows::new(&file, &segmenter))
                                    }))
                                    .map_err(|_| {
                                        "internal error while parsing (please report this file)"
                                            .to_string()
                                    })?
                                    .map_err(|e| e.to_string())?;
                                Ok(Some((hash, bytes.len(), rows)))
                            })();
                            (path.clone(), result)
                        })
                        .collect()
                })
            };
            let (mut added, mut known, mut failed) = (0usize, 0usize, 0usize);
            let mut failures: Vec<Failure> = Vec::new();
            let mut write_batch = |parsed: Vec<(PathBuf, Parsed)>| {
                let mut new = Vec::new();
                for (path, result) in &parsed {
                    match result {
                        Ok(Some((hash, len, rows))) => new.push(gwr_store::NewFile {
                            path,
                            hash,
                            bytes: *len,
                            rows,
                        }),
                        Ok(None) => known += 1,
                        Err(e) => {
                            failed += 1;
                            let _ = store.log_error(path, e);
                            failures.push((inputs::shown(path), e.clone()));
                        }
                    }
                }
                for (f, r) in new.iter().zip(store.add_batch(&new)) {
                    match r {
                        Ok(true) => added += 1,
                        Ok(false) => known += 1,
                        Err(e) => {
                            failed += 1;
                            failures.push((inputs::shown(f.path), e.to_string()));
                        }
                    }
                }
                parsed.len()
            };
            let mut batches = inputs::write_batches(&files).into_iter();
            let mut pending = batches.next().map(&parse_batch);
            while let Some(parsed) = pending.take() {
                let next = batches.next();
                let (n, following) = rayon::join(|| write_batch(parsed), || next.map(&parse_batch));
                // Ctrl-C stops between batches: whatever was written stays whole.
                run.step(n)?;
                pending = following;
            }
            // A failure leaves the documents to the next ingest's index;
            // search reads them meanwhile.
            let _ = store.finish();
            Ok::<_, PyErr>((added, known, failed, failures, new_terms))
        })?;
        let d = PyDict::new(py);
        d.set_item("added", added)?;
        d.set_item("known", known)?;
        d.set_item("failed", failed)?;
        d.set_item("new_terms", new_terms)?;
        d.set_item("failures", failures)?;
        Ok(d)
    }

    /// Ranked passages holding every term of `query` (as `gwr search`).
    #[pyo3(signature = (query, region = None, year = None, role = None, doc_type = None, limit = 20, timeout = 30.0))]
    #[allow(clippy::too_many_arguments)]
    fn search<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        region: Option<String>,
        year: Option<i32>,
        role: Option<String>,
        doc_type: Option<String>,
        limit: usize,
        timeout: f64,
    ) -> PyResult<Bound<'py, PyList>> {
        let filter = SearchFilter {
            region,
            year,
            role,
            doc_type,
        };
        let time = seconds(timeout);
        let hits = py.detach(|| self.with(|s| s.search_within(query, &filter, limit, time)))?;
        crate::records_to_py(py, &hits)
    }

    /// A read-only SQL query as an Arrow table (integers, reals, else text),
    /// at most `max_rows` rows (0: all), within `timeout` seconds.
    #[pyo3(signature = (query, timeout = 30.0, max_rows = 0))]
    fn sql(
        &self,
        py: Python<'_>,
        query: &str,
        timeout: f64,
        max_rows: u64,
    ) -> PyResult<ArrowStream> {
        let time = seconds(timeout);
        let batch = py.detach(|| {
            let mut cols = Vec::new();
            let mut rows = Vec::new();
            self.with(|s| {
                s.within(time, |s| {
                    s.query_rows(
                        query,
                        |c| {
                            cols = c.to_vec();
                            Ok(())
                        },
                        |r| {
                            rows.push(r);
                            Ok(max_rows == 0 || (rows.len() as u64) < max_rows)
                        },
                    )
                })
            })?;
            query_batch(&cols, &rows).map_err(gwr_error)
        })?;
        Ok(ArrowStream::new(batch))
    }

    /// Write a whole table (`facts`, `documents`, …) as Parquet to `path`;
    /// returns the rows written.
    fn export_parquet(&self, py: Python<'_>, table: &str, path: PathBuf) -> PyResult<u64> {
        py.detach(|| {
            let out = std::fs::File::create(&path)
                .map_err(|e| gwr_error(format!("{}: {e}", inputs::shown(&path))))?;
            let n = self.with(|s| s.export_parquet(table, std::io::BufWriter::new(out)))?;
            Ok(n)
        })
    }

    /// Tables `export` may write.
    #[staticmethod]
    fn tables() -> Vec<&'static str> {
        gwr_store::TABLES.to_vec()
    }
}

/// A time limit in seconds (0 or less: none, i.e. a very long one).
fn seconds(s: f64) -> Duration {
    if s.is_finite() && s > 0.0 {
        Duration::from_secs_f64(s.min(1e9))
    } else {
        Duration::from_secs(1_000_000_000)
    }
}
