-- Version 2: passages (paragraphs with their section role) and a full-text
-- index over them. The trigram tokenizer matches any substring of three or
-- more characters, so Chinese terms (最多跑一次, 数字经济) are found whole
-- without a segmenter; shorter queries fall back to substring scans.

CREATE TABLE IF NOT EXISTS passages (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    section     TEXT,
    role        TEXT,
    text        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_document ON passages(document_id);

CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='trigram'
);
