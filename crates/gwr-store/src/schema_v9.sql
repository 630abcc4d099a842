-- Version 9: documents.text is kept zstd-compressed (a BLOB, about 2.3×
-- smaller); `gwr_text(text)` reads it back and `gwr_text(text, start,
-- chars)` cuts a span out (packed.rs: every connection a gwr store opens
-- has the function). `passages` cuts its spans with it. The migration packs
-- each document's text (lib.rs). The FTS5 trigram index gives way to the
-- substring index of version 10.

DROP VIEW IF EXISTS passages;
CREATE VIEW passages (id, document_id, section, role, text) AS
    SELECT s.id, s.document_id, s.section, s.role, gwr_text(d.text, s.start, s.chars)
    FROM passage_spans s JOIN documents d ON d.id = s.document_id;
DROP TABLE IF EXISTS documents_fts;
