//! Parquet export of a store table, streamed in row batches so a table of
//! millions of facts never sits in memory whole. Column types come from the
//! table's declared SQLite types: INTEGER → Int64, REAL → Float64, anything
//! else → UTF-8 string (a query's undeclared columns: from their values);
//! every column is nullable.

use crate::{Store, StoreError, TABLES};
use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rusqlite::types::ValueRef;
use std::io::Write;
use std::sync::Arc;

/// Rows per record batch (and so per Parquet row group page run).
const BATCH_ROWS: usize = 8192;

enum Column {
    Int(Int64Builder),
    Real(Float64Builder),
    Text(StringBuilder),
}

impl Column {
    fn new(data_type: &DataType) -> Column {
        match data_type {
            DataType::Int64 => Column::Int(Int64Builder::with_capacity(BATCH_ROWS)),
            DataType::Float64 => Column::Real(Float64Builder::with_capacity(BATCH_ROWS)),
            _ => Column::Text(StringBuilder::new()),
        }
    }

    /// Append one SQLite value, converting across SQLite's loose typing.
    fn push(&mut self, v: ValueRef<'_>) {
        match self {
            Column::Int(b) => b.append_option(match v {
                ValueRef::Integer(i) => Some(i),
                ValueRef::Real(r) if r.fract() == 0.0 => Some(r as i64),
                ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(|s| s.parse().ok()),
                _ => None,
            }),
            Column::Real(b) => b.append_option(match v {
                ValueRef::Integer(i) => Some(i as f64),
                ValueRef::Real(r) => Some(r),
                ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(|s| s.parse().ok()),
                _ => None,
            }),
            Column::Text(b) => match v {
                ValueRef::Null => b.append_null(),
                ValueRef::Integer(i) => b.append_value(i.to_string()),
                ValueRef::Real(r) => b.append_value(r.to_string()),
                ValueRef::Text(t) => b.append_value(String::from_utf8_lossy(t)),
                ValueRef::Blob(x) => b.append_value(format!("<{} bytes>", x.len())),
            },
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Int(b) => Arc::new(b.finish()),
            Column::Real(b) => Arc::new(b.finish()),
            Column::Text(b) => Arc::new(b.finish()),
        }
    }
}

fn parquet_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("parquet: {e}"))
}

fn write_batch<W: Write + Send>(
    writer: &mut ArrowWriter<W>,
    schema: &Arc<Schema>,
    columns: &mut [Column],
) -> Result<(), StoreError> {
    let arrays: Vec<ArrayRef> = columns.iter_mut().map(Column::finish).collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(parquet_error)?;
    writer.write(&batch).map_err(parquet_error)
}

/// Views of computed columns and the tables that give those columns'
/// types.
const TYPED_BY: &[(&str, &str)] = &[("targets", "target_rows"), ("terms", "term_spans")];

impl Store {
    /// The Arrow schema of a store table, from its declared column types
    /// (a computed column of a view has none: it takes the type of the
    /// same column of the table under the view, [`TYPED_BY`]).
    pub fn arrow_schema(&self, table: &str) -> Result<Schema, StoreError> {
        if !TABLES.contains(&table) {
            return Err(StoreError::Other(format!("no table {table:?}")));
        }
        let base = TYPED_BY
            .iter()
            .find(|(view, _)| *view == table)
            .map_or(table, |(_, base)| base);
        let mut stmt = self.conn.prepare(
            "SELECT v.name, coalesce(nullif(v.type, ''), b.type, '') \
             FROM pragma_table_info(?1) v LEFT JOIN pragma_table_info(?2) b ON b.name = v.name \
             ORDER BY v.cid",
        )?;
        let fields = stmt
            .query_map([table, base], |r| {
                let name: String = r.get(0)?;
                let declared: String = r.get(1)?;
                let data_type = match declared.to_ascii_uppercase().as_str() {
                    "INTEGER" => DataType::Int64,
                    "REAL" => DataType::Float64,
                    _ => DataType::Utf8,
                };
                Ok(Field::new(name, data_type, true))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Schema::new(fields))
    }

    /// The query that reads a whole table for export: every column in
    /// order, packed text read as text (`gwr_text`), rows by id.
    pub fn export_query(&self, table: &str) -> Result<String, StoreError> {
        let schema = self.arrow_schema(table)?;
        let columns: Vec<String> = schema
            .fields()
            .iter()
            .map(|f| {
                let name = f.name();
                if crate::packed::PACKED_COLUMNS.contains(&(table, name.as_str())) {
                    format!("gwr_text(\"{name}\") AS \"{name}\"")
                } else {
                    format!("\"{name}\"")
                }
            })
            .collect();
        Ok(format!(
            "SELECT {} FROM {table} ORDER BY id",
            columns.join(", ")
        ))
    }

    /// Write a whole table as Parquet (Snappy-compressed) to `out`; returns
    /// the number of rows written.
    pub fn export_parquet<W: Write + Send>(&self, table: &str, out: W) -> Result<u64, StoreError> {
        let schema = Arc::new(self.arrow_schema(table)?);
        let mut stmt = self.conn.prepare(&self.export_query(table)?)?;
        let mut rows = stmt.query([])?;
        let (total, _) = write_parquet(schema, out, u64::MAX, Vec::new(), &mut rows)?;
        Ok(total)
    }
}

/// Write `head` (rows already read, at most `max`) and then `rows` as
/// Parquet, at most `max` rows in all; returns the rows written and
/// whether more were left.
fn write_parquet<W: Write + Send>(
    schema: Arc<Schema>,
    out: W,
    max: u64,
    head: Vec<Vec<rusqlite::types::Value>>,
    rows: &mut rusqlite::Rows<'_>,
) -> Result<(u64, bool), StoreError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer =
        ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(parquet_error)?;
    let mut columns: Vec<Column> = schema
        .fields()
        .iter()
        .map(|f| Column::new(f.data_type()))
        .collect();
    let (mut pending, mut total) = (0usize, 0u64);
    for values in head {
        for (c, v) in columns.iter_mut().zip(&values) {
            c.push(ValueRef::from(v));
        }
        pending += 1;
        total += 1;
        if pending == BATCH_ROWS {
            write_batch(&mut writer, &schema, &mut columns)?;
            pending = 0;
        }
    }
    while total < max {
        let Some(row) = rows.next()? else { break };
        for (i, c) in columns.iter_mut().enumerate() {
            c.push(row.get_ref(i)?);
        }
        pending += 1;
        total += 1;
        if pending == BATCH_ROWS {
            write_batch(&mut writer, &schema, &mut columns)?;
            pending = 0;
        }
    }
    let more = total == max && rows.next()?.is_some();
    if pending > 0 || total == 0 {
        write_batch(&mut writer, &schema, &mut columns)?;
    }
    writer.close().map_err(parquet_error)?;
    Ok((total, more))
}

/// The Arrow type of a declared SQLite column type (`None`: undeclared).
fn declared_type(declared: Option<&str>) -> Option<DataType> {
    let declared = declared?.to_ascii_uppercase();
    Some(if declared.contains("INT") {
        DataType::Int64
    } else if declared.contains("REAL") || declared.contains("FLOA") || declared.contains("DOUB") {
        DataType::Float64
    } else {
        DataType::Utf8
    })
}

impl Store {
    /// Write the result of a read-only query as Parquet, at most `max_rows`
    /// rows. Column types come from the declared types of the columns a
    /// query selects; a column without one (an expression, or a view's
    /// computed column) takes its type from the values of the first
    /// [`BATCH_ROWS`] rows ([`type_of_values`]). Returns the rows written
    /// and whether the result had more.
    pub fn query_parquet<W: Write + Send>(
        &self,
        sql: &str,
        max_rows: u64,
        out: W,
    ) -> Result<(u64, bool), StoreError> {
        let mut stmt = self.prepare_read_only(sql)?;
        let declared: Vec<(String, Option<DataType>)> = stmt
            .columns()
            .map(|c| (c.name().to_string(), declared_type(c.decl_type())))
            .collect();
        let mut rows = stmt.query([])?;
        let mut head: Vec<Vec<rusqlite::types::Value>> = Vec::new();
        while (head.len() as u64) < max_rows.min(BATCH_ROWS as u64) {
            let Some(r) = rows.next()? else { break };
            head.push(
                (0..declared.len())
                    .map(|i| r.get(i))
                    .collect::<Result<_, _>>()?,
            );
        }
        let fields: Vec<Field> = declared
            .iter()
            .enumerate()
            .map(|(i, (name, t))| {
                let t = t
                    .clone()
                    .unwrap_or_else(|| type_of_values(head.iter().filter_map(|r| r.get(i))));
                Field::new(name, t, true)
            })
            .collect();
        write_parquet(
            Arc::new(Schema::new(fields)),
            out,
            max_rows,
            head,
            &mut rows,
        )
    }
}

/// What a value is, as far as its column's Arrow type goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueKind {
    Null,
    Integer,
    Real,
    /// Text, a blob or anything else.
    Other,
}

/// The Arrow type that holds every value of a column whose type is not
/// declared (one rule for the Parquet export and the Python package's
/// tables): Int64 when each value not NULL is an integer, Float64 when
/// each is a number, else UTF-8 (also when all are NULL).
pub fn arrow_type_of(values: impl IntoIterator<Item = ValueKind>) -> DataType {
    let mut found = DataType::Utf8;
    for v in values {
        found = match (v, &found) {
            (ValueKind::Null, _) => continue,
            (ValueKind::Integer, DataType::Utf8 | DataType::Int64) => DataType::Int64,
            (ValueKind::Integer | ValueKind::Real, _) => DataType::Float64,
            (ValueKind::Other, _) => return DataType::Utf8,
        };
    }
    found
}

/// [`arrow_type_of`] the values a query read.
fn type_of_values<'a>(values: impl Iterator<Item = &'a rusqlite::types::Value>) -> DataType {
    use rusqlite::types::Value;
    arrow_type_of(values.map(|v| match v {
        Value::Null => ValueKind::Null,
        Value::Integer(_) => ValueKind::Integer,
        Value::Real(_) => ValueKind::Real,
        Value::Text(_) | Value::Blob(_) => ValueKind::Other,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undeclared_column_takes_the_type_of_all_its_values() {
        use ValueKind::*;
        assert_eq!(arrow_type_of([Null, Integer, Null]), DataType::Int64);
        assert_eq!(arrow_type_of([Null, Integer, Real]), DataType::Float64);
        assert_eq!(arrow_type_of([Real, Integer]), DataType::Float64);
        assert_eq!(arrow_type_of([Integer, Other, Real]), DataType::Utf8);
        assert_eq!(arrow_type_of([Null, Null]), DataType::Utf8);
        assert_eq!(arrow_type_of([]), DataType::Utf8);
    }
}
