//! Arrow record batches of the records of parsed files (no store needed):
//! the columns of the store's `facts`, `targets` and `commitments` tables,
//! as `gwr export` writes them, with `file` and `part` in place of the
//! store's `id` and `document_id`, and the document's region after them.
//! Column types follow export: integers Int64, reals Float64, the rest
//! UTF-8 strings, every column nullable. Tracked targets have no table; their
//! batch carries the fields of [`Tracked`].

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use gwr_engine::records::{CommitmentRecord, FactRecord, TargetRecord};
use gwr_engine::tracking::Tracked;
use std::sync::Arc;

/// Columns being built, in order.
#[derive(Default)]
struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn text<'a>(&mut self, name: &str, values: impl Iterator<Item = Option<&'a str>>) {
        let mut b = StringBuilder::new();
        values.for_each(|v| b.append_option(v));
        self.push(name, DataType::Utf8, Arc::new(b.finish()));
    }

    fn owned(&mut self, name: &str, values: impl Iterator<Item = Option<String>>) {
        let mut b = StringBuilder::new();
        values.for_each(|v| b.append_option(v));
        self.push(name, DataType::Utf8, Arc::new(b.finish()));
    }

    fn int(&mut self, name: &str, values: impl Iterator<Item = Option<i64>>) {
        let mut b = Int64Builder::new();
        values.for_each(|v| b.append_option(v));
        self.push(name, DataType::Int64, Arc::new(b.finish()));
    }

    fn real(&mut self, name: &str, values: impl Iterator<Item = Option<f64>>) {
        let mut b = Float64Builder::new();
        values.for_each(|v| b.append_option(v));
        self.push(name, DataType::Float64, Arc::new(b.finish()));
    }

    fn boolean(&mut self, name: &str, values: impl Iterator<Item = bool>) {
        let mut b = BooleanBuilder::new();
        values.for_each(|v| b.append_value(v));
        self.push(name, DataType::Boolean, Arc::new(b.finish()));
    }

    fn list<'a>(&mut self, name: &str, values: impl Iterator<Item = &'a [String]>) {
        let mut b = ListBuilder::new(StringBuilder::new());
        for v in values {
            for s in v {
                b.values().append_value(s);
            }
            b.append(true);
        }
        let array = b.finish();
        let t = array.data_type().clone();
        self.push(name, t, Arc::new(array));
    }

    fn push(&mut self, name: &str, t: DataType, a: ArrayRef) {
        self.fields.push(Field::new(name, t, true));
        self.arrays.push(a);
    }

    fn finish(self) -> Result<RecordBatch, ArrowError> {
        let schema = Arc::new(Schema::new(self.fields));
        RecordBatch::try_new(schema, self.arrays)
    }
}

fn year(y: Option<i32>) -> Option<i64> {
    y.map(i64::from)
}

/// Facts: `file`, `part`, the columns of the store's `facts` table after
/// `document_id` (metric_id … text_end), then `region`, `region_code`,
/// `level` and `report_plan_year`.
pub fn facts_batch(rows: &[FactRecord]) -> Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    let r = || rows.iter();
    let ch = || rows.iter().map(|f| f.change.as_ref());
    c.text("file", r().map(|f| Some(f.file.as_str())));
    c.int("part", r().map(|f| Some(f.part as i64)));
    c.text("metric_id", r().map(|f| f.metric_id.as_deref()));
    c.text("metric", r().map(|f| Some(f.metric.as_str())));
    c.text("kind", r().map(|f| Some(f.kind.as_str())));
    c.int("year", r().map(|f| year(f.year)));
    c.int("year_from", r().map(|f| year(f.years.map(|y| y[0]))));
    c.int("year_to", r().map(|f| year(f.years.map(|y| y[1]))));
    c.real("value", r().map(|f| f.value));
    c.text("unit", r().map(|f| f.unit.as_deref()));
    c.real("value_base", r().map(|f| f.value_base));
    c.text("base_unit", r().map(|f| f.base_unit.as_deref()));
    c.text("qualifier", r().map(|f| f.qualifier.map(|q| q.as_str())));
    c.real("lo", r().map(|f| f.lo));
    c.real("hi", r().map(|f| f.hi));
    c.real("stretch", r().map(|f| f.stretch));
    c.text("change_type", ch().map(|c| c.map(|c| c.kind.as_str())));
    c.real("change_value", ch().map(|c| c.and_then(|c| c.value)));
    c.text(
        "change_qualifier",
        ch().map(|c| c.and_then(|c| c.qualifier.map(|q| q.as_str()))),
    );
    c.real("change_lo", ch().map(|c| c.and_then(|c| c.lo)));
    c.real("change_hi", ch().map(|c| c.and_then(|c| c.hi)));
    c.real("change_stretch", ch().map(|c| c.and_then(|c| c.stretch)));
    c.text("section", r().map(|f| f.section.as_deref()));
    c.text("role", r().map(|f| f.role));
    c.text("evidence", r().map(|f| Some(f.evidence.as_str())));
    c.int("source_start", r().map(|f| Some(f.source_span[0] as i64)));
    c.int("source_end", r().map(|f| Some(f.source_span[1] as i64)));
    c.int("text_start", r().map(|f| f.text_span.map(|s| s[0] as i64)));
    c.int("text_end", r().map(|f| f.text_span.map(|s| s[1] as i64)));
    c.text("region", r().map(|f| f.region.as_deref()));
    c.text("region_code", r().map(|f| f.region_code.as_deref()));
    c.text("level", r().map(|f| f.level.as_deref()));
    c.int("report_plan_year", r().map(|f| year(f.report_plan_year)));
    c.finish()
}

/// Targets: `file`, `part`, the columns of the store's `targets` table
/// after `document_id` (metric_id … evidence), then `kind`, `lo`, `hi`,
/// `stretch`, `section`, `qualifier`, `region` and `region_code`.
pub fn targets_batch(rows: &[TargetRecord]) -> Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    let r = || rows.iter();
    c.text("file", r().map(|t| Some(t.file.as_str())));
    c.int("part", r().map(|t| Some(t.part as i64)));
    c.text("metric_id", r().map(|t| t.metric_id.as_deref()));
    c.text("metric", r().map(|t| Some(t.metric.as_str())));
    c.int("year", r().map(|t| year(t.year)));
    c.int("year_from", r().map(|t| year(t.years.map(|y| y[0]))));
    c.int("year_to", r().map(|t| year(t.years.map(|y| y[1]))));
    c.real("value", r().map(|t| t.value));
    c.text("unit", r().map(|t| t.unit.as_deref()));
    c.text(
        "change_type",
        r().map(|t| t.change.as_ref().map(|c| c.kind.as_str())),
    );
    c.real(
        "change_value",
        r().map(|t| t.change.as_ref().and_then(|c| c.value.or(c.lo))),
    );
    c.text("comparator", r().map(|t| Some(t.comparator)));
    c.text("wording", r().map(|t| Some(t.wording.as_str())));
    c.int("qualitative", r().map(|t| Some(i64::from(t.qualitative))));
    c.text("evidence", r().map(|t| Some(t.evidence.as_str())));
    c.text("kind", r().map(|t| Some(t.kind.as_str())));
    c.real("lo", r().map(|t| t.lo));
    c.real("hi", r().map(|t| t.hi));
    c.real("stretch", r().map(|t| t.stretch));
    c.text("section", r().map(|t| t.section.as_deref()));
    c.text("qualifier", r().map(|t| t.qualifier.map(|q| q.as_str())));
    c.text("region", r().map(|t| t.region.as_deref()));
    c.text("region_code", r().map(|t| t.region_code.as_deref()));
    c.finish()
}

/// Commitments: `file`, `part`, the columns of the store's `commitments`
/// table after `document_id` (kind … announced; `figures` as the store
/// keeps it, a JSON array), then `region`, `region_code`, `plan_year`,
/// `review_year`, `source_start`, `source_end` and `fulfils`.
pub fn commitments_batch(rows: &[CommitmentRecord]) -> Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    let r = || rows.iter();
    c.text("file", r().map(|x| Some(x.file.as_str())));
    c.int("part", r().map(|x| Some(x.part as i64)));
    c.text("kind", r().map(|x| Some(x.kind.as_str())));
    c.text("stage", r().map(|x| Some(x.stage.as_str())));
    c.int("idx", r().map(|x| x.index.map(|i| i as i64)));
    c.text("title", r().map(|x| x.title.as_deref()));
    c.text("text", r().map(|x| Some(x.text.as_str())));
    c.owned(
        "figures",
        r().map(|x| Some(serde_json::to_string(&x.figures).unwrap_or_else(|_| "[]".into()))),
    );
    c.int("announced", r().map(|x| x.announced.map(i64::from)));
    c.text("region", r().map(|x| x.region.as_deref()));
    c.text("region_code", r().map(|x| x.region_code.as_deref()));
    c.int("plan_year", r().map(|x| year(x.plan_year)));
    c.int("review_year", r().map(|x| year(x.review_year)));
    c.int("source_start", r().map(|x| Some(x.source_span[0] as i64)));
    c.int("source_end", r().map(|x| Some(x.source_span[1] as i64)));
    c.text("fulfils", r().map(|x| x.fulfils.as_deref()));
    c.finish()
}

/// Tracked targets: one column per field of [`Tracked`] (`restated` a list
/// of strings).
pub fn tracked_batch(rows: &[Tracked]) -> Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    let r = || rows.iter();
    c.text("region", r().map(|t| t.region.as_deref()));
    c.text("region_code", r().map(|t| t.region_code.as_deref()));
    c.text("metric_id", r().map(|t| Some(t.metric_id.as_str())));
    c.int("year", r().map(|t| Some(i64::from(t.year))));
    c.text("measure", r().map(|t| Some(t.measure.as_str())));
    c.real("target", r().map(|t| Some(t.target)));
    c.real("target_hi", r().map(|t| t.target_hi));
    c.text("comparator", r().map(|t| Some(t.comparator)));
    c.real("stretch", r().map(|t| t.stretch));
    c.real("outcome", r().map(|t| t.outcome));
    c.text(
        "outcome_kind",
        r().map(|t| t.outcome_kind.map(|k| k.as_str())),
    );
    c.boolean("estimate_superseded", r().map(|t| t.estimate_superseded));
    c.text("verdict", r().map(|t| Some(t.verdict.as_str())));
    c.real("gap", r().map(|t| t.gap));
    c.real("gap_hi", r().map(|t| t.gap_hi));
    c.text("target_file", r().map(|t| Some(t.target_file.as_str())));
    c.text(
        "target_evidence",
        r().map(|t| Some(t.target_evidence.as_str())),
    );
    c.list("restated", r().map(|t| t.restated.as_slice()));
    c.text("outcome_file", r().map(|t| t.outcome_file.as_deref()));
    c.text(
        "outcome_evidence",
        r().map(|t| t.outcome_evidence.as_deref()),
    );
    c.finish()
}

/// The schema of a kind of batch (`facts`, `targets`, `commitments`,
/// `track`), as an empty batch has it.
pub fn schema(kind: &str) -> Option<SchemaRef> {
    let batch = match kind {
        "facts" => facts_batch(&[]),
        "targets" => targets_batch(&[]),
        "commitments" => commitments_batch(&[]),
        "track" => tracked_batch(&[]),
        _ => return None,
    };
    batch.ok().map(|b| b.schema())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// The batches carry the store table's columns (after `id` and
    /// `document_id`) in its order and types, so a frame of files and an
    /// exported table line up.
    #[test]
    fn batches_carry_the_store_tables_columns() {
        let dir = std::env::temp_dir().join(format!("gwr-frames-{}", std::process::id()));
        let store = Store::open(&dir).expect("store");
        for table in ["facts", "targets", "commitments"] {
            let stored = store.arrow_schema(table).expect("schema");
            let stored: Vec<(String, DataType)> = stored
                .fields()
                .iter()
                .skip(2)
                .map(|f| (f.name().clone(), f.data_type().clone()))
                .collect();
            let ours = schema(table).expect("kind");
            let ours: Vec<(String, DataType)> = ours
                .fields()
                .iter()
                .skip(2)
                .take(stored.len())
                .map(|f| (f.name().clone(), f.data_type().clone()))
                .collect();
            assert_eq!(ours, stored, "{table}");
        }
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_parsed_file_gives_one_row_per_record() {
        let engine = gwr_engine::Engine::new();
        let text = "2024年政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2023年工作回顾\n全区地区生产总值达到595亿元，增长6.5%。\n二、2024年主要目标\n地区生产总值增长6%左右。\n";
        let file = engine.parse_bytes("t.txt", text.as_bytes()).expect("parse");
        let facts = gwr_engine::records::fact_records(&file);
        let batch = facts_batch(&facts).expect("batch");
        assert_eq!(batch.num_rows(), facts.len());
        assert!(batch.num_rows() >= 2);
        // Enum columns hold the names the JSON records give them.
        let kinds = batch
            .column_by_name("kind")
            .and_then(|a| a.as_any().downcast_ref::<arrow_array::StringArray>())
            .expect("a text column");
        for (i, f) in facts.iter().enumerate() {
            assert_eq!(Some(kinds.value(i)), serde_json::json!(f.kind).as_str());
        }
        assert!(kinds.iter().any(|k| k == Some("target")));
        let targets = gwr_engine::records::target_records(&file);
        assert_eq!(
            targets_batch(&targets).expect("batch").num_rows(),
            targets.len()
        );
        let tracked = gwr_engine::tracking::track(&facts);
        assert_eq!(
            tracked_batch(&tracked).expect("batch").num_rows(),
            tracked.len()
        );
    }
}
