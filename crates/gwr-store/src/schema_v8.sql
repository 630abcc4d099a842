-- Version 8: the substring index holds documents, not passages. A
-- document's trigrams are indexed once (rowid only), which halves the index
-- (most trigrams of a line recur elsewhere in its document), and a
-- substring search reads the documents that hold every trigram of its
-- terms in plan-year order, cutting their passages out of the text until
-- it has enough hits (search.rs), instead of checking every candidate
-- passage. The index reads its content from documents.text.

DROP TABLE IF EXISTS passages_fts;
DROP TABLE IF EXISTS documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    text, content='documents', content_rowid='id', tokenize='trigram', detail='none',
    columnsize=0
);
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
INSERT INTO documents_fts (documents_fts, rank) VALUES ('hashsize', 33554432);
