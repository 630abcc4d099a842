-- Version 6: the text is kept once, in documents.text. A passage is a span
-- of its document's text (where it starts and how long it is, in
-- characters), and `passages` is a view that cuts the span out: queries
-- over passages read as before, and the substring index (external content
-- over `passages`) and the word index (contentless) stay valid as they are.
-- Stores of version 5 have their passage rows turned into spans first
-- (lib.rs), then their passages table is dropped for the view.

CREATE TABLE IF NOT EXISTS passage_spans (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    section     TEXT,
    role        TEXT,
    start       INTEGER NOT NULL,          -- characters into documents.text
    chars       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passage_spans_document ON passage_spans(document_id);
