-- Version 4: the errors table is keyed by path and message, so ingesting a
-- failing file again updates its row instead of adding one.

DELETE FROM errors WHERE id NOT IN (SELECT MIN(id) FROM errors GROUP BY path, message);
CREATE UNIQUE INDEX IF NOT EXISTS errors_key ON errors(path, message);
