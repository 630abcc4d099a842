-- Version 5: where each fact sits in its document's text (character
-- offsets into documents.text, so a reader can mark it), and the bounds of
-- each target (floor, ceiling, stretch figure) beside its figure. The new
-- columns (V5_COLUMNS in lib.rs) are added first, each only when missing.

CREATE INDEX IF NOT EXISTS facts_document ON facts(document_id);
-- (targets_document is made by version 12, on the table under the targets
-- view.)
CREATE INDEX IF NOT EXISTS commitments_document ON commitments(document_id);
