//! The native part of the `gwr` Python package (`gwr._gwr`): parsing,
//! record tables handed over as Arrow streams (the Arrow C stream
//! interface, no copy through Python objects), and the corpus store.
//!
//! Long work runs with the interpreter released, on gwr's own threads
//! (rayon); the Python layer (`gwr/__init__.py`) adds progress bars, error
//! policy and the `pyarrow` conversion.

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator};
use gwr_engine::records::{
    CommitmentRecord, FactRecord, TargetRecord, commitment_records, doc_records, fact_records,
    target_records,
};
use gwr_engine::{Engine, Kind, ParsedFile};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyCapsule, PyDict, PyList, PyString};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Input walking and reading, shared with the `gwr` command: regular files
/// only, bounded sizes, symlink loops ended, names escaped in messages.
#[path = "../../crates/gwr-cli/src/inputs.rs"]
#[allow(dead_code)]
mod inputs;

mod store;
mod table;

pyo3::create_exception!(
    _gwr,
    GwrError,
    PyValueError,
    "Input gwr cannot use: a file it cannot read (named in the message), an unknown metric, a bad query."
);

/// Files parsed per step: progress is reported and Ctrl-C looked at
/// between steps.
const STEP: usize = 64;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

fn gwr_error(message: impl Into<String>) -> PyErr {
    GwrError::new_err(message.into())
}

/// What to read: files on disk, or bytes with their names.
pub(crate) enum Source {
    Paths(Vec<PathBuf>),
    Bytes(Vec<(String, Vec<u8>)>),
}

impl Source {
    fn len(&self) -> usize {
        match self {
            Source::Paths(p) => p.len(),
            Source::Bytes(b) => b.len(),
        }
    }
}

/// A failure: the input (its path or name, escaped) and the message.
pub(crate) type Failure = (String, String);

/// How a batch runs: worker threads, per-file time limit, progress callback.
pub(crate) struct Run {
    pool: Option<rayon::ThreadPool>,
    walk: inputs::Walk,
    progress: Option<Py<PyAny>>,
}

impl Run {
    fn new(
        jobs: Option<usize>,
        file_timeout: Option<f64>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Run> {
        let pool = match jobs {
            None | Some(0) => None,
            Some(n) => {
                let cap = std::thread::available_parallelism().map_or(4, |c| c.get() * 4);
                Some(
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(n.min(cap))
                        .build()
                        .map_err(|e| gwr_error(format!("cannot start {n} threads: {e}")))?,
                )
            }
        };
        Ok(Run {
            pool,
            walk: inputs::Walk {
                follow: false,
                file_timeout,
            },
            progress,
        })
    }

    fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        match &self.pool {
            Some(p) => p.install(f),
            None => f(),
        }
    }

    /// Tell the progress callback `n` more inputs are done, and stop on
    /// Ctrl-C. Called without the interpreter; takes it briefly.
    fn step(&self, n: usize) -> PyResult<()> {
        Python::attach(|py| {
            py.check_signals()?;
            if let Some(cb) = &self.progress {
                // A failing progress bar must not lose the batch.
                let _ = cb.call1(py, (n,));
            }
            Ok(())
        })
    }

    /// Parse every input in parallel and map each parsed file with `each`,
    /// in input order; failures name their input.
    pub(crate) fn each<T: Send>(
        &self,
        source: &Source,
        each: impl Fn(&ParsedFile) -> T + Sync,
    ) -> PyResult<(Vec<T>, Vec<Failure>)> {
        let engine = engine();
        let mut out = Vec::with_capacity(source.len());
        let mut failures = Vec::new();
        let parse = |name: &str, bytes: &[u8]| -> Result<T, String> {
            let budget = self.walk.budget(bytes.len());
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine
                    .parse_bytes_within(name, bytes, &budget)
                    .map(|f| each(&f))
            }))
            .map_err(|_| "internal error while parsing (please report this file)".to_string())?
            .map_err(|e| e.to_string())
        };
        let mut start = 0;
        while start < source.len() {
            let end = (start + STEP).min(source.len());
            let done: Vec<(String, Result<T, String>)> = match source {
                Source::Paths(paths) => self.install(|| {
                    paths[start..end]
                        .par_iter()
                        .map(|p| {
                            let r = inputs::read(p)
                                .and_then(|bytes| parse(&inputs::display_name(p), &bytes));
                            (inputs::shown(p), r)
                        })
                        .collect()
                }),
                Source::Bytes(items) => self.install(|| {
                    items[start..end]
                        .par_iter()
                        .map(|(name, bytes)| (inputs::escape(name), parse(name, bytes)))
                        .collect()
                }),
            };
            for (shown, r) in done {
                match r {
                    Ok(v) => out.push(v),
                    Err(e) => failures.push((shown, e)),
                }
            }
            self.step(end - start)?;
            start = end;
        }
        Ok((out, failures))
    }
}

/// Expand paths into the files they hold (directories recursively, in name
/// order, hidden entries skipped) and the paths that could not be used.
#[pyfunction]
#[pyo3(signature = (paths, follow = false))]
fn collect(py: Python<'_>, paths: Vec<PathBuf>, follow: bool) -> (Vec<PathBuf>, Vec<Failure>) {
    py.detach(|| {
        let (files, failures) = inputs::collect(
            &paths,
            inputs::Walk {
                follow,
                file_timeout: None,
            },
        );
        let failures = failures
            .into_iter()
            .map(|f| match f.split_once(": ") {
                Some((p, m)) => (p.to_string(), m.to_string()),
                None => (String::new(), f),
            })
            .collect();
        (files, failures)
    })
}

/// Convert a JSON value (a record) to Python objects.
pub(crate) fn to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let items = a
                .iter()
                .map(|x| to_py(py, x))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

fn records_to_py<'py, T: serde::Serialize>(
    py: Python<'py>,
    rows: &[T],
) -> PyResult<Bound<'py, PyList>> {
    let items = rows
        .iter()
        .map(|r| {
            let v = serde_json::to_value(r).map_err(|e| gwr_error(e.to_string()))?;
            to_py(py, &v)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// Source from Python: a list of paths, or a list of (name, bytes).
fn source_of(paths: Option<Vec<PathBuf>>, items: Option<Vec<(String, Vec<u8>)>>) -> Source {
    match items {
        Some(items) => Source::Bytes(items),
        None => Source::Paths(paths.unwrap_or_default()),
    }
}

/// Parse files (or named bytes) into document records (dicts with the
/// interchange fields and the outline); returns (documents, failures).
#[pyfunction]
#[pyo3(signature = (paths = None, items = None, jobs = None, progress = None, file_timeout = None))]
fn parse<'py>(
    py: Python<'py>,
    paths: Option<Vec<PathBuf>>,
    items: Option<Vec<(String, Vec<u8>)>>,
    jobs: Option<usize>,
    progress: Option<Py<PyAny>>,
    file_timeout: Option<f64>,
) -> PyResult<(Bound<'py, PyList>, Vec<Failure>)> {
    let source = source_of(paths, items);
    let run = Run::new(jobs, file_timeout, progress)?;
    let (docs, failures) = py.detach(|| {
        run.each(&source, |f| {
            let format = format!("{:?}", f.prepared.format).to_lowercase();
            let encoding = f.prepared.encoding.to_string();
            doc_records(f)
                .into_iter()
                .map(|r| (r, format.clone(), encoding.clone()))
                .collect::<Vec<_>>()
        })
    })?;
    let out = PyList::empty(py);
    for (r, format, encoding) in docs.into_iter().flatten() {
        let v = serde_json::to_value(&r).map_err(|e| gwr_error(e.to_string()))?;
        let d = to_py(py, &v)?;
        d.set_item("format", format)?;
        d.set_item("encoding", encoding)?;
        out.append(d)?;
    }
    Ok((out, failures))
}

/// Filters of a record table.
#[derive(Default)]
pub(crate) struct Filter {
    metrics: Vec<String>,
    kind: Option<Kind>,
    headline: bool,
    region: Option<String>,
}

impl Filter {
    fn new(
        metric: Option<Vec<String>>,
        kind: Option<&str>,
        headline: bool,
        region: Option<String>,
    ) -> PyResult<Filter> {
        let mut metrics = Vec::new();
        for g in metric.iter().flatten().filter(|g| !g.trim().is_empty()) {
            match engine().metrics().resolve(g) {
                Ok(found) => metrics.extend(found),
                Err(near) => {
                    let hint = if near.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", near.join(", "))
                    };
                    return Err(gwr_error(format!(
                        "unknown metric {}{hint} (gwr.metrics() lists them all)",
                        inputs::escape(g)
                    )));
                }
            }
        }
        let kind = match kind {
            None => None,
            Some("actual") => Some(Kind::Actual),
            Some("estimate") => Some(Kind::Estimate),
            Some("target") => Some(Kind::Target),
            Some("forecast") => Some(Kind::Forecast),
            Some(k) => {
                return Err(gwr_error(format!(
                    "unknown kind {}: actual, estimate, target or forecast",
                    inputs::escape(k)
                )));
            }
        };
        Ok(Filter {
            metrics,
            kind,
            headline,
            region,
        })
    }

    fn metric(&self, id: Option<&String>) -> bool {
        self.metrics.is_empty() || id.is_some_and(|m| self.metrics.contains(m))
    }

    fn fact(&self, r: &FactRecord) -> bool {
        (!self.headline || r.metric_id.is_some())
            && self.metric(r.metric_id.as_ref())
            && self.kind.is_none_or(|k| k == r.kind)
    }
}

/// The rows of one parsed file for a table.
enum Rows {
    Facts(Vec<FactRecord>),
    Targets(Vec<TargetRecord>),
    Commitments(Vec<CommitmentRecord>),
}

/// A record table of files (or named bytes), as in `gwr facts`, `gwr
/// targets`, `gwr commitments` and `gwr track`: returns (Arrow stream,
/// failures).
#[pyfunction]
#[pyo3(signature = (what, paths = None, items = None, metric = None, kind = None, headline = false,
    region = None, jobs = None, progress = None, file_timeout = None))]
#[allow(clippy::too_many_arguments)]
fn records(
    py: Python<'_>,
    what: &str,
    paths: Option<Vec<PathBuf>>,
    items: Option<Vec<(String, Vec<u8>)>>,
    metric: Option<Vec<String>>,
    kind: Option<&str>,
    headline: bool,
    region: Option<String>,
    jobs: Option<usize>,
    progress: Option<Py<PyAny>>,
    file_timeout: Option<f64>,
) -> PyResult<(table::ArrowStream, Vec<Failure>)> {
    if gwr_store::frames::schema(what).is_none() {
        return Err(gwr_error(format!(
            "no table {}: facts, targets, commitments or track",
            inputs::escape(what)
        )));
    }
    let filter = Filter::new(metric, kind, headline, region)?;
    let source = source_of(paths, items);
    let run = Run::new(jobs, file_timeout, progress)?;
    let what = what.to_string();
    let (batch, failures) = py.detach(|| -> PyResult<(RecordBatch, Vec<Failure>)> {
        let (rows, failures) = run.each(&source, |f| match what.as_str() {
            "facts" => Rows::Facts(
                fact_records(f)
                    .into_iter()
                    .filter(|r| filter.fact(r))
                    .collect(),
            ),
            "track" => Rows::Facts(
                fact_records(f)
                    .into_iter()
                    .filter(|r| r.metric_id.is_some())
                    .collect(),
            ),
            "targets" => Rows::Targets(
                target_records(f)
                    .into_iter()
                    .filter(|t| filter.metric(t.metric_id.as_ref()))
                    .collect(),
            ),
            _ => Rows::Commitments(commitment_records(f)),
        })?;
        let (mut facts, mut targets, mut commitments) = (Vec::new(), Vec::new(), Vec::new());
        for r in rows {
            match r {
                Rows::Facts(v) => facts.extend(v),
                Rows::Targets(v) => targets.extend(v),
                Rows::Commitments(v) => commitments.extend(v),
            }
        }
        let batch = match what.as_str() {
            "facts" => gwr_store::frames::facts_batch(&facts),
            "targets" => gwr_store::frames::targets_batch(&targets),
            "commitments" => {
                gwr_engine::tracking::link_commitments(&mut commitments);
                gwr_store::frames::commitments_batch(&commitments)
            }
            _ => {
                let rows: Vec<_> = gwr_engine::tracking::track(&facts)
                    .into_iter()
                    .filter(|t| {
                        filter.region.as_ref().is_none_or(|r| {
                            t.region.as_ref() == Some(r) || t.region_code.as_ref() == Some(r)
                        })
                    })
                    .filter(|t| filter.metric(Some(&t.metric_id)))
                    .collect();
                gwr_store::frames::tracked_batch(&rows)
            }
        }
        .map_err(|e| gwr_error(format!("arrow: {e}")))?;
        Ok((batch, failures))
    })?;
    Ok((table::ArrowStream::new(batch), failures))
}

/// The empty table of a kind of records (its schema).
#[pyfunction]
fn schema(what: &str) -> PyResult<table::ArrowStream> {
    let s = gwr_store::frames::schema(what)
        .ok_or_else(|| gwr_error(format!("no table {}", inputs::escape(what))))?;
    Ok(table::ArrowStream::new(RecordBatch::new_empty(s)))
}

/// The metric table: a dict per metric (id, name, units, names), as
/// `gwr metrics` lists them.
#[pyfunction]
fn metrics(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let table = engine().metrics();
    let rows: Vec<serde_json::Value> = table
        .metrics
        .iter()
        .map(|m| {
            let units = if m.rate {
                "%".to_string()
            } else {
                m.dimensions.join(" ")
            };
            serde_json::json!({
                "id": m.id,
                "name": m.name,
                "units": units,
                "names": table.names_of(&m.id),
            })
        })
        .collect();
    records_to_py(py, &rows)
}

/// Hand a record batch to the Arrow C stream interface.
pub(crate) fn stream_capsule(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyCapsule>> {
    let schema = batch.schema();
    let reader = RecordBatchIterator::new(vec![Ok(batch)], schema);
    let stream = FFI_ArrowArrayStream::new(Box::new(reader));
    PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
}

#[pymodule]
fn _gwr(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("GwrError", m.py().get_type::<GwrError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_FILE_BYTES", inputs::MAX_FILE_BYTES)?;
    m.add_class::<table::ArrowStream>()?;
    m.add_class::<store::Store>()?;
    m.add_function(wrap_pyfunction!(collect, m)?)?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(records, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(metrics, m)?)?;
    Ok(())
}
