-- name: LoadProbe
-- Parameters: $1 path of the input file, bound inside /*SOURCE*/.
-- Purpose: the file's column names and types, without reading its rows.
-- /*SOURCE*/ is replaced by one of load_read_*.sql.
SELECT * FROM (/*SOURCE*/) AS src LIMIT 0
