-- Version 3: a word index over the passages. Each passage is cut into words
-- by the segmenter (jieba plus government terms, so 最多跑一次 stays one
-- word): `words` holds them in order for ranked word and phrase queries,
-- `parts` the shorter dictionary words inside long ones (经济 in 数字经济).
-- The index keeps no copy of the text (contentless); rowid = passages.id.
-- `lexicon` holds the extra words the store's segmenter was given
-- (`gwr ingest --terms`), so queries cut text the way ingest did.
-- The words arrive as tokens already, read as SQLite's unicode61 tokenizer
-- reads them (tokens.rs), so the index splits them only at the spaces
-- (`ascii`), which spares the single writer unicode61's table lookups.
-- Stores that made this index with unicode61 keep it: it reads the same
-- tokens out of the same text.

CREATE VIRTUAL TABLE IF NOT EXISTS passages_words USING fts5(
    words, parts, content='', contentless_delete=1, tokenize='ascii'
);

-- The substring index of version 2 drops its token positions (detail=none):
-- substring queries go through LIKE, which it still answers, at a fraction
-- of the size and write time.
DROP TABLE IF EXISTS passages_fts;
CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='trigram', detail='none'
);
INSERT INTO passages_fts (passages_fts) VALUES ('rebuild');

-- Bigger in-memory term buffers (32 MB, the default is 1 MB) make fewer,
-- larger index segments: far less sorting and merging while ingesting.
INSERT INTO passages_fts (passages_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO passages_words (passages_words, rank) VALUES ('hashsize', 33554432);

CREATE TABLE IF NOT EXISTS lexicon (
    word TEXT PRIMARY KEY
);
