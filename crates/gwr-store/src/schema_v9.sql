-- Version 9: documents.text is kept zstd-compressed (a BLOB, about 2.3×
-- smaller); `gwr_text(text)` reads it back and `gwr_text(text, start,
-- chars)` cuts a span out (packed.rs: every connection a gwr store opens
-- has the function). `passages` cuts its spans with it. The substring index
-- becomes contentless (it keeps its trigrams, not a way back to the text):
-- the migration packs each document's text and indexes it again (lib.rs).

DROP VIEW IF EXISTS passages;
CREATE VIEW passages (id, document_id, section, role, text) AS
    SELECT s.id, s.document_id, s.section, s.role, gwr_text(d.text, s.start, s.chars)
    FROM passage_spans s JOIN documents d ON d.id = s.document_id;
DROP TABLE IF EXISTS documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    text, content='', tokenize='trigram', detail='none', columnsize=0
);
INSERT INTO documents_fts (documents_fts, rank) VALUES ('hashsize', 33554432);
