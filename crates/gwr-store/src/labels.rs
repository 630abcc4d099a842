//! The label texts a fact row stores as codes (schema_v14.sql): its metric
//! as the report names it, kind, units, qualifiers, change type, section
//! and role. Each distinct text of a column is one row of its table
//! `labels_<column>`, numbered from 0; the `facts` view reads the text
//! back.

use crate::{LABELLED, StoreError};
use rusqlite::{Connection, OptionalExtension};
use rustc_hash::FxHashMap;

/// The codes a writer has looked up or added, by column. Codes never
/// change once committed, so the cache lasts as long as the connection;
/// the writer drops it when a transaction is rolled back, which takes the
/// codes it added with it.
#[derive(Default)]
pub(crate) struct Labels {
    /// Text → code, one map for each column of [`LABELLED`], in its order.
    codes: [FxHashMap<String, i64>; LABELLED.len()],
}

impl Labels {
    /// The code of `text` in column `field` (one of [`crate::LABELLED`]),
    /// added to the column's labels when new (its next number).
    pub(crate) fn code(
        &mut self,
        conn: &Connection,
        field: &'static str,
        text: &str,
    ) -> Result<i64, StoreError> {
        let column = LABELLED
            .iter()
            .position(|c| *c == field)
            .ok_or_else(|| StoreError::Other(format!("{field} is not a labelled column")))?;
        let codes = &mut self.codes[column];
        if let Some(&code) = codes.get(text) {
            return Ok(code);
        }
        let found: Option<i64> = conn
            .prepare_cached(&format!("SELECT code FROM labels_{field} WHERE text = ?1"))?
            .query_row([text], |r| r.get(0))
            .optional()?;
        let code = match found {
            Some(code) => code,
            None => {
                // Two plain statements: an INSERT … SELECT or … RETURNING
                // would open a statement savepoint, at which FTS5 writes
                // the word index's pending rows out as a segment of their
                // own (a new label in every transaction left the index
                // many small segments to merge).
                let next: i64 = conn
                    .prepare_cached(&format!(
                        "SELECT coalesce(max(code) + 1, 0) FROM labels_{field}"
                    ))?
                    .query_row([], |r| r.get(0))?;
                conn.prepare_cached(&format!(
                    "INSERT INTO labels_{field} (code, text) VALUES (?1, ?2)"
                ))?
                .execute(rusqlite::params![next, text])?;
                next
            }
        };
        codes.insert(text.to_string(), code);
        Ok(code)
    }

    /// The code of a label that may be absent (NULL stays NULL).
    pub(crate) fn code_of(
        &mut self,
        conn: &Connection,
        field: &'static str,
        text: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        text.map(|t| self.code(conn, field, t)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_numbers_its_texts_from_0() {
        let conn = Connection::open_in_memory().expect("opens");
        for field in ["metric", "unit"] {
            conn.execute_batch(&format!(
                "CREATE TABLE labels_{field} (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)"
            ))
            .expect("a table");
        }
        let mut first = Labels::default();
        assert_eq!(first.code(&conn, "metric", "地区生产总值").ok(), Some(0));
        assert_eq!(first.code(&conn, "unit", "亿元").ok(), Some(0));
        assert_eq!(first.code(&conn, "metric", "亿元").ok(), Some(1));
        assert_eq!(first.code(&conn, "metric", "地区生产总值").ok(), Some(0));
        // Another connection's cache finds the stored codes.
        let mut later = Labels::default();
        assert_eq!(later.code(&conn, "metric", "亿元").ok(), Some(1));
        assert_eq!(later.code(&conn, "unit", "万元").ok(), Some(1));
        assert_eq!(later.code_of(&conn, "unit", None).ok(), Some(None));
        assert!(
            later.code(&conn, "evidence", "x").is_err(),
            "not a labelled column"
        );
        let rows: i64 = conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM labels_metric) + (SELECT COUNT(*) FROM labels_unit)",
                [],
                |r| r.get(0),
            )
            .expect("counts");
        assert_eq!(rows, 4);
    }
}
