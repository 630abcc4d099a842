//! Record batches handed to Python through the Arrow C stream interface
//! (`__arrow_c_stream__`, read by `pyarrow.RecordBatchReader.from_stream`,
//! polars and any other consumer of the PyCapsule protocol).

use arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::sync::Mutex;

/// A table ready to be read once as an Arrow stream.
#[pyclass(module = "gwr._gwr", frozen)]
pub struct ArrowStream {
    batch: Mutex<Option<RecordBatch>>,
}

impl ArrowStream {
    pub fn new(batch: RecordBatch) -> ArrowStream {
        ArrowStream {
            batch: Mutex::new(Some(batch)),
        }
    }
}

#[pymethods]
impl ArrowStream {
    /// The Arrow PyCapsule stream protocol; the table can be read once.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let batch = self
            .batch
            .lock()
            .ok()
            .and_then(|mut b| b.take())
            .ok_or_else(|| crate::gwr_error("this Arrow stream was read already"))?;
        crate::stream_capsule(py, batch)
    }

    /// Rows in the table (0 once read).
    fn __len__(&self) -> usize {
        self.batch
            .lock()
            .ok()
            .and_then(|b| b.as_ref().map(RecordBatch::num_rows))
            .unwrap_or(0)
    }
}
