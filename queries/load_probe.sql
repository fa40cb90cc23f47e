-- name: LoadProbe
-- Purpose: the file's column names and types, without reading its rows.
-- /*SOURCE*/ is replaced by one of load_read_*.sql.
SELECT * FROM (/*SOURCE*/) AS src LIMIT 0
