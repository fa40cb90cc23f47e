-- name: LoadCSVRejects
-- Purpose: the first row DuckDB's CSV reader rejected in the last read
-- (load_rejects is filled by load_read_csv.sql): the byte offset where its
-- line starts, DuckDB's line number, the error type and message, and how
-- many rows were rejected. The reader records one error per extra field of
-- a row, so errors are grouped by row: the row's first error, except that
-- for too many fields the last one, which says how many the row has. No row
-- when none was rejected.
SELECT line_byte_position, line,
    arg_min(error_type, byte_position)::VARCHAR,
    CASE WHEN arg_min(error_type, byte_position) = 'TOO MANY COLUMNS'
         THEN arg_max(error_message, byte_position)
         ELSE arg_min(error_message, byte_position) END,
    count(*) OVER ()
FROM load_rejects
GROUP BY line_byte_position, line
ORDER BY line_byte_position
LIMIT 1
