-- name: LoadCSVRejects
-- Purpose: the first row DuckDB's CSV reader rejected in the last read
-- (load_rejects is filled by load_read_csv.sql): the byte offset where its
-- line starts, DuckDB's line number, the error type and message, and how
-- many rows were rejected. No row when none was.
SELECT line_byte_position, line, error_type, error_message, count(*) OVER ()
FROM load_rejects
ORDER BY line_byte_position
LIMIT 1
