-- The gwr corpus store. One row per ingested file; everything else hangs off
-- a document. Spans are byte offsets in the source file (or in the extracted
-- text layer for DOCX and PDF).

CREATE TABLE IF NOT EXISTS files (
    id          INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,      -- SHA-256 of the file's bytes
    path        TEXT NOT NULL,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,             -- text, html, docx, pdf
    encoding    TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    part          INTEGER NOT NULL,
    doc_type      TEXT NOT NULL,
    title         TEXT,
    region        TEXT,
    region_code   TEXT,
    region_path   TEXT,                    -- JSON array
    level         TEXT,
    speaker       TEXT,
    speaker_title TEXT,
    meeting       TEXT,
    date          TEXT,
    review_year   INTEGER,
    plan_year     INTEGER,
    inferred      TEXT,                    -- JSON array of inferred fields
    chars         INTEGER NOT NULL,
    text          TEXT NOT NULL            -- normalized text of the document
);
CREATE INDEX IF NOT EXISTS documents_region ON documents(region_code, plan_year);

CREATE TABLE IF NOT EXISTS sections (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sid         TEXT NOT NULL,             -- dotted ordinal path, 2.3.1
    level       INTEGER NOT NULL,
    title       TEXT NOT NULL,
    role        TEXT
);

CREATE TABLE IF NOT EXISTS facts (
    id               INTEGER PRIMARY KEY,
    document_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    metric_id        TEXT,
    metric           TEXT NOT NULL,
    kind             TEXT NOT NULL,        -- actual, estimate, target
    year             INTEGER,
    year_from        INTEGER,
    year_to          INTEGER,
    value            REAL,
    unit             TEXT,
    value_base       REAL,
    base_unit        TEXT,
    qualifier        TEXT,
    lo               REAL,
    hi               REAL,
    stretch          REAL,
    change_type      TEXT,
    change_value     REAL,
    change_qualifier TEXT,
    change_lo        REAL,
    change_hi        REAL,
    change_stretch   REAL,
    section          TEXT,
    role             TEXT,
    evidence         TEXT NOT NULL,
    source_start     INTEGER NOT NULL,
    source_end       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_metric ON facts(metric_id, year);

CREATE TABLE IF NOT EXISTS targets (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    metric_id    TEXT,
    metric       TEXT NOT NULL,
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
    evidence     TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS commitments (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    stage       TEXT NOT NULL,
    idx         INTEGER,
    title       TEXT,
    text        TEXT NOT NULL,
    figures     TEXT NOT NULL,             -- JSON array of {value, unit}
    announced   INTEGER
);

CREATE TABLE IF NOT EXISTS terms (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    term        TEXT NOT NULL,
    definition  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS terms_term ON terms(term);

CREATE TABLE IF NOT EXISTS errors (
    id      INTEGER PRIMARY KEY,
    path    TEXT NOT NULL,
    message TEXT NOT NULL,
    at      TEXT NOT NULL
);
