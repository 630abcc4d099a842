-- Version 5: where each fact sits in its document's text (character
-- offsets into documents.text, so a reader can mark it), and the bounds of
-- each target (floor, ceiling, stretch figure) beside its figure. The new
-- columns (V5_COLUMNS in lib.rs) are added first, each only when missing.

-- (targets_document is made by version 12 and facts_document by version
-- 14, each on the table under its view.)
CREATE INDEX IF NOT EXISTS commitments_document ON commitments(document_id);
