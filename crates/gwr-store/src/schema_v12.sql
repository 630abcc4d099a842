-- Version 12: a target with a figure restates a fact of the same document
-- (kind 'target'), so its row refers to that fact (`fact_id`) instead of
-- copying its columns, which stay NULL; a goal without a number, and any
-- target whose columns differ from its fact's, keeps its own. `targets`
-- is a view with the table's columns in the table's order, so queries
-- read it as before. (`fact_id` has no foreign key: a fact goes only with
-- its document, which takes the target row with it.)

CREATE TABLE target_rows (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    fact_id      INTEGER,
    metric_id    TEXT,
    metric       TEXT,
    year         INTEGER,
    year_from    INTEGER,
    year_to      INTEGER,
    value        REAL,
    unit         TEXT,
    change_type  TEXT,
    change_value REAL,
    comparator   TEXT NOT NULL,
    wording      TEXT NOT NULL,
    qualitative  INTEGER NOT NULL,
    evidence     TEXT,
    kind         TEXT,
    lo           REAL,
    hi           REAL,
    stretch      REAL,
    section      TEXT
);
INSERT INTO target_rows (id, document_id, metric_id, metric, year, year_from, year_to, value,
    unit, change_type, change_value, comparator, wording, qualitative, evidence, kind, lo, hi,
    stretch, section)
    SELECT id, document_id, metric_id, metric, year, year_from, year_to, value, unit,
        change_type, change_value, comparator, wording, qualitative, evidence, kind, lo, hi,
        stretch, section
    FROM targets;
DROP TABLE targets;
CREATE INDEX targets_document ON target_rows(document_id);

-- From the fact: a target's change value is the change's value or its
-- lower bound, and its bounds are the change's or else the level's.
CREATE VIEW targets (id, document_id, metric_id, metric, year, year_from, year_to, value, unit,
    change_type, change_value, comparator, wording, qualitative, evidence, kind, lo, hi, stretch,
    section) AS
    SELECT t.id, t.document_id,
        iif(t.fact_id IS NULL, t.metric_id, f.metric_id),
        iif(t.fact_id IS NULL, t.metric, f.metric),
        iif(t.fact_id IS NULL, t.year, f.year),
        iif(t.fact_id IS NULL, t.year_from, f.year_from),
        iif(t.fact_id IS NULL, t.year_to, f.year_to),
        iif(t.fact_id IS NULL, t.value, f.value),
        iif(t.fact_id IS NULL, t.unit, f.unit),
        iif(t.fact_id IS NULL, t.change_type, f.change_type),
        iif(t.fact_id IS NULL, t.change_value, coalesce(f.change_value, f.change_lo)),
        t.comparator, t.wording, t.qualitative,
        iif(t.fact_id IS NULL, t.evidence, f.evidence),
        iif(t.fact_id IS NULL, t.kind, f.kind),
        iif(t.fact_id IS NULL, t.lo, coalesce(f.change_lo, f.lo)),
        iif(t.fact_id IS NULL, t.hi, coalesce(f.change_hi, f.hi)),
        iif(t.fact_id IS NULL, t.stretch, coalesce(f.change_stretch, f.stretch)),
        iif(t.fact_id IS NULL, t.section, f.section)
    FROM target_rows t LEFT JOIN facts f ON f.id = t.fact_id;

-- The rows copied above refer to their facts the way new rows do: the
-- first target fact of the document whose columns, read as the view reads
-- them, are the row's (`IS`: NULL matches NULL); those columns then go.
UPDATE target_rows SET fact_id = (
    SELECT f.id FROM facts f
    WHERE f.document_id = target_rows.document_id AND f.kind = 'target'
        AND f.evidence = target_rows.evidence
        AND f.metric_id IS target_rows.metric_id AND f.metric IS target_rows.metric
        AND f.year IS target_rows.year AND f.year_from IS target_rows.year_from
        AND f.year_to IS target_rows.year_to AND f.value IS target_rows.value
        AND f.unit IS target_rows.unit AND f.change_type IS target_rows.change_type
        AND coalesce(f.change_value, f.change_lo) IS target_rows.change_value
        AND f.kind IS target_rows.kind
        AND coalesce(f.change_lo, f.lo) IS target_rows.lo
        AND coalesce(f.change_hi, f.hi) IS target_rows.hi
        AND coalesce(f.change_stretch, f.stretch) IS target_rows.stretch
        AND f.section IS target_rows.section
    ORDER BY f.id LIMIT 1)
WHERE qualitative = 0;
UPDATE target_rows SET metric_id = NULL, metric = NULL, year = NULL, year_from = NULL,
    year_to = NULL, value = NULL, unit = NULL, change_type = NULL, change_value = NULL,
    evidence = NULL, kind = NULL, lo = NULL, hi = NULL, stretch = NULL, section = NULL
WHERE fact_id IS NOT NULL;
