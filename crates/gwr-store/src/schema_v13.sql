-- Version 13: a glossary entry's definition is a span of its document's
-- text (`start` and `chars`, characters, as passage_spans has them), not a
-- copy; `terms` is a view with the table's columns that cuts it out with
-- gwr_text. `definition` holds the text only of an entry whose definition
-- is not such a span (the rows of a store made before).

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
