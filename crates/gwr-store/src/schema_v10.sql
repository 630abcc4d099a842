-- Version 10: the substring index (substr.rs). For every trigram of a
-- line (three characters, 21 bits each, ASCII letters folded), the
-- documents holding it, as ascending deltas in LEB128 varints; written a
-- segment at a time by ingest, eight segments of a level merged into one
-- of the next. Every document up to `substr_state.through` is in it; the
-- ones after are read by every substring search until the next ingest
-- indexes them (a migrated store is indexed when it is opened for the
-- ingest that migrates it).

DROP TABLE IF EXISTS documents_fts;
CREATE TABLE IF NOT EXISTS substr_segments (
    seg   INTEGER PRIMARY KEY,
    level INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS substr_index (
    seg  INTEGER NOT NULL,
    key  INTEGER NOT NULL,
    docs BLOB NOT NULL,
    PRIMARY KEY (seg, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS substr_state (
    through INTEGER NOT NULL
);
INSERT INTO substr_state (through) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM substr_state);
