-- Version 13: a glossary entry's definition is a span of its document's
-- text (`start` and `chars`, characters, as passage_spans has them), not a
-- copy; `terms` is a view with the table's columns that cuts it out with
-- gwr_text. `definition` holds the text only of an entry whose definition
-- is not a span of its document's text.

CREATE TABLE term_spans (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    term        TEXT NOT NULL,
    start       INTEGER NOT NULL DEFAULT 0,
    chars       INTEGER NOT NULL DEFAULT 0,
    definition  TEXT
);
INSERT INTO term_spans (id, document_id, term, definition)
    SELECT id, document_id, term, definition FROM terms;
DROP TABLE terms;
CREATE INDEX terms_term ON term_spans(term);

CREATE VIEW terms (id, document_id, term, definition) AS
    SELECT t.id, t.document_id, t.term,
        coalesce(t.definition, gwr_text(d.text, t.start, t.chars))
    FROM term_spans t JOIN documents d ON d.id = t.document_id;

-- The rows copied above become spans where their document's text holds
-- the definition (any place that holds it gives the same cut).
UPDATE term_spans SET
    start = coalesce((SELECT instr(gwr_text(d.text), term_spans.definition) - 1
        FROM documents d WHERE d.id = term_spans.document_id), -1),
    chars = length(definition)
WHERE definition IS NOT NULL;
UPDATE term_spans SET definition = NULL WHERE definition IS NOT NULL AND start >= 0;
UPDATE term_spans SET start = 0, chars = 0 WHERE start < 0;
