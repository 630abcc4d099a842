-- Version 14: a fact's labels (its metric as the report names it, kind,
-- units, qualifiers, change type, section and role) are codes into
-- tables of labels, which hold each distinct text once: a few hundred texts
-- repeated over millions of facts took a third of the facts' pages. `facts`
-- is a view with the table's columns in the table's order, so queries read
-- it as before. Each label is a scalar subquery, not a join: the view stays
-- one table to SQLite's planner (a query that joins `facts` still uses the
-- indexes of `fact_rows`), and a query pays only for the labels it reads.

-- The figures are NUMERIC, not REAL: SQLite (3.54) keeps a whole number
-- bound to a REAL column of an indexed table as an 8-byte float, and to a
-- NUMERIC column as an integer of one to six bytes (most figures are whole
-- numbers). The view gives them back as REAL, the values they were.

-- Each column has its table of labels, `labels_<column>`: a code (the
-- row id, from 0) and its text. Codes count within a column, so the few
-- kinds, roles and qualifiers take one byte or none (SQLite stores 0 and 1
-- in the record's header) and a metric name two; copied facts number each
-- column's texts by how often they occur. A label is read by its row id,
-- SQLite's quickest lookup.
CREATE TABLE labels_metric (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_kind (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_unit (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_base_unit (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_qualifier (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_change_type (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_change_qualifier (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_section (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE labels_role (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);

CREATE TABLE fact_rows (
    id                    INTEGER PRIMARY KEY,
    document_id           INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    metric_id             TEXT,
    metric_code           INTEGER NOT NULL,
    kind_code             INTEGER NOT NULL,
    year                  INTEGER,
    year_from             INTEGER,
    year_to               INTEGER,
    value                 NUMERIC,
    unit_code             INTEGER,
    value_base            NUMERIC,
    base_unit_code        INTEGER,
    qualifier_code        INTEGER,
    lo                    NUMERIC,
    hi                    NUMERIC,
    stretch               NUMERIC,
    change_type_code      INTEGER,
    change_value          NUMERIC,
    change_qualifier_code INTEGER,
    change_lo             NUMERIC,
    change_hi             NUMERIC,
    change_stretch        NUMERIC,
    section_code          INTEGER,
    role_code             INTEGER,
    evidence              TEXT NOT NULL,
    source_start          INTEGER NOT NULL,
    source_end            INTEGER NOT NULL,
    text_start            INTEGER,
    text_end              INTEGER
);

INSERT INTO labels_metric (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, metric) - 1, metric FROM facts
    WHERE metric IS NOT NULL GROUP BY metric;
INSERT INTO labels_kind (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, kind) - 1, kind FROM facts
    WHERE kind IS NOT NULL GROUP BY kind;
INSERT INTO labels_unit (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, unit) - 1, unit FROM facts
    WHERE unit IS NOT NULL GROUP BY unit;
INSERT INTO labels_base_unit (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, base_unit) - 1, base_unit FROM facts
    WHERE base_unit IS NOT NULL GROUP BY base_unit;
INSERT INTO labels_qualifier (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, qualifier) - 1, qualifier FROM facts
    WHERE qualifier IS NOT NULL GROUP BY qualifier;
INSERT INTO labels_change_type (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, change_type) - 1, change_type FROM facts
    WHERE change_type IS NOT NULL GROUP BY change_type;
INSERT INTO labels_change_qualifier (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, change_qualifier) - 1, change_qualifier
    FROM facts WHERE change_qualifier IS NOT NULL GROUP BY change_qualifier;
INSERT INTO labels_section (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, section) - 1, section FROM facts
    WHERE section IS NOT NULL GROUP BY section;
INSERT INTO labels_role (code, text)
    SELECT row_number() OVER (ORDER BY count(*) DESC, role) - 1, role FROM facts
    WHERE role IS NOT NULL GROUP BY role;

INSERT INTO fact_rows
    SELECT f.id, f.document_id, f.metric_id,
        (SELECT code FROM labels_metric WHERE text = f.metric),
        (SELECT code FROM labels_kind WHERE text = f.kind),
        f.year, f.year_from, f.year_to, f.value,
        (SELECT code FROM labels_unit WHERE text = f.unit),
        f.value_base,
        (SELECT code FROM labels_base_unit WHERE text = f.base_unit),
        (SELECT code FROM labels_qualifier WHERE text = f.qualifier),
        f.lo, f.hi, f.stretch,
        (SELECT code FROM labels_change_type WHERE text = f.change_type),
        f.change_value,
        (SELECT code FROM labels_change_qualifier WHERE text = f.change_qualifier),
        f.change_lo, f.change_hi, f.change_stretch,
        (SELECT code FROM labels_section WHERE text = f.section),
        (SELECT code FROM labels_role WHERE text = f.role),
        f.evidence, f.source_start, f.source_end, f.text_start, f.text_end
    FROM facts f;
DROP TABLE facts;
CREATE INDEX facts_document ON fact_rows(document_id);
CREATE INDEX facts_metric ON fact_rows(metric_id, year) WHERE metric_id IS NOT NULL;

CREATE VIEW facts (id, document_id, metric_id, metric, kind, year, year_from, year_to, value,
    unit, value_base, base_unit, qualifier, lo, hi, stretch, change_type, change_value,
    change_qualifier, change_lo, change_hi, change_stretch, section, role, evidence,
    source_start, source_end, text_start, text_end) AS
    SELECT f.id, f.document_id, f.metric_id,
        (SELECT text FROM labels_metric WHERE code = f.metric_code),
        (SELECT text FROM labels_kind WHERE code = f.kind_code),
        f.year, f.year_from, f.year_to, CAST(f.value AS REAL),
        iif(f.unit_code IS NULL, NULL,
            (SELECT text FROM labels_unit WHERE code = f.unit_code)),
        CAST(f.value_base AS REAL),
        iif(f.base_unit_code IS NULL, NULL,
            (SELECT text FROM labels_base_unit WHERE code = f.base_unit_code)),
        iif(f.qualifier_code IS NULL, NULL,
            (SELECT text FROM labels_qualifier WHERE code = f.qualifier_code)),
        CAST(f.lo AS REAL), CAST(f.hi AS REAL), CAST(f.stretch AS REAL),
        iif(f.change_type_code IS NULL, NULL,
            (SELECT text FROM labels_change_type WHERE code = f.change_type_code)),
        CAST(f.change_value AS REAL),
        iif(f.change_qualifier_code IS NULL, NULL,
            (SELECT text FROM labels_change_qualifier WHERE code = f.change_qualifier_code)),
        CAST(f.change_lo AS REAL), CAST(f.change_hi AS REAL), CAST(f.change_stretch AS REAL),
        iif(f.section_code IS NULL, NULL,
            (SELECT text FROM labels_section WHERE code = f.section_code)),
        iif(f.role_code IS NULL, NULL,
            (SELECT text FROM labels_role WHERE code = f.role_code)),
        f.evidence, f.source_start, f.source_end, f.text_start, f.text_end
    FROM fact_rows f;

-- Targets read their facts' columns from the table, as the view above
-- reads them (a view joined as the right side of a LEFT JOIN could be
-- built whole for every query).
DROP VIEW targets;
CREATE VIEW targets (id, document_id, metric_id, metric, year, year_from, year_to, value, unit,
    change_type, change_value, comparator, wording, qualitative, evidence, kind, lo, hi, stretch,
    section) AS
    SELECT t.id, t.document_id,
        iif(t.fact_id IS NULL, t.metric_id, f.metric_id),
        iif(t.fact_id IS NULL, t.metric,
            (SELECT text FROM labels_metric WHERE code = f.metric_code)),
        iif(t.fact_id IS NULL, t.year, f.year),
        iif(t.fact_id IS NULL, t.year_from, f.year_from),
        iif(t.fact_id IS NULL, t.year_to, f.year_to),
        iif(t.fact_id IS NULL, t.value, CAST(f.value AS REAL)),
        iif(t.fact_id IS NULL, t.unit,
            (SELECT text FROM labels_unit WHERE code = f.unit_code)),
        iif(t.fact_id IS NULL, t.change_type,
            (SELECT text FROM labels_change_type WHERE code = f.change_type_code)),
        iif(t.fact_id IS NULL, t.change_value, CAST(coalesce(f.change_value, f.change_lo) AS REAL)),
        t.comparator, t.wording, t.qualitative,
        iif(t.fact_id IS NULL, t.evidence, f.evidence),
        iif(t.fact_id IS NULL, t.kind,
            (SELECT text FROM labels_kind WHERE code = f.kind_code)),
        iif(t.fact_id IS NULL, t.lo, CAST(coalesce(f.change_lo, f.lo) AS REAL)),
        iif(t.fact_id IS NULL, t.hi, CAST(coalesce(f.change_hi, f.hi) AS REAL)),
        iif(t.fact_id IS NULL, t.stretch, CAST(coalesce(f.change_stretch, f.stretch) AS REAL)),
        iif(t.fact_id IS NULL, t.section,
            (SELECT text FROM labels_section WHERE code = f.section_code))
    FROM target_rows t LEFT JOIN fact_rows f ON f.id = t.fact_id;
