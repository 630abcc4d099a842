-- Version 11: a trigram's documents in the substring index are split into
-- rows of a few hundred bytes (`part` 0, 1, … in order), so every row
-- stays inside its B-tree page. A row past SQLite's in-page limit (1,002
-- bytes at 4,096-byte pages) went on to overflow pages, and most of each
-- chain's last page stayed empty: a third of the index's pages at 1 GB.
-- Rows written before keep part 0 and are split when a merge rewrites them.

CREATE TABLE substr_rows (
    seg  INTEGER NOT NULL,
    key  INTEGER NOT NULL,
    part INTEGER NOT NULL,
    docs BLOB NOT NULL,
    PRIMARY KEY (seg, key, part)
) WITHOUT ROWID;
INSERT INTO substr_rows (seg, key, part, docs) SELECT seg, key, 0, docs FROM substr_index;
DROP TABLE substr_index;
ALTER TABLE substr_rows RENAME TO substr_index;
