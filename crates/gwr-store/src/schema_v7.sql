-- Version 7: each passage's length in words, as the word index counts it
-- (both columns), kept beside the index so ranking reads them without one
-- index lookup per match (rank.rs). A row holds 8,192 passages: row `chunk`
-- covers passage ids chunk * 8192 to chunk * 8192 + 8191, two bytes each
-- (little-endian), 0 where there is no passage and 65535 for one too long
-- to hold. The rows are written in the transaction that adds the passages,
-- from the word index's own size records, so they always agree with it.
-- `gwr_rank(passages_words, 1.0, 0.5)` is FTS5's bm25() computed from them.

CREATE TABLE IF NOT EXISTS passage_lengths (
    chunk INTEGER PRIMARY KEY,
    lens  BLOB NOT NULL
);
