//! The label texts a fact row stores as codes (schema_v14.sql): its metric
//! as the report names it, kind, units, qualifiers, change type, section
//! and role. Each distinct text of a column is one row of its table
//! `labels_<column>`, numbered from 0; the `facts` view reads the text
//! back.

use crate::StoreError;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// The codes one transaction has looked up or added. A cache lives only as
/// long as its transaction: a code added by a transaction that is rolled
/// back is gone with it.
#[derive(Default)]
pub(crate) struct Labels {
    codes: HashMap<(&'static str, String), i64>,
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
        if let Some(&code) = self.codes.get(&(field, text.to_string())) {
            return Ok(code);
        }
        let found: Option<i64> = conn
            .prepare_cached(&format!("SELECT code FROM labels_{field} WHERE text = ?1"))?
            .query_row([text], |r| r.get(0))
            .optional()?;
        let code = match found {
            Some(code) => code,
            None => conn
                .prepare_cached(&format!(
                    "INSERT INTO labels_{field} (code, text) \
                     SELECT coalesce(max(code) + 1, 0), ?1 FROM labels_{field} RETURNING code"
                ))?
                .query_row([text], |r| r.get(0))?,
        };
        self.codes.insert((field, text.to_string()), code);
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
        // A later transaction's cache finds the stored codes.
        let mut later = Labels::default();
        assert_eq!(later.code(&conn, "metric", "亿元").ok(), Some(1));
        assert_eq!(later.code(&conn, "unit", "万元").ok(), Some(1));
        assert_eq!(later.code_of(&conn, "unit", None).ok(), Some(None));
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
