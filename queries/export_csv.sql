-- name: ExportCSV
-- Parameters:
--   $1 path of a newline-delimited JSON file, one object a row, every row
--      with the same keys in the same order (reports.Table.WriteNDJSON)
--   $2 path of the CSV file to write: the caller's temporary file, already
--      created, so USE_TMP_FILE false makes DuckDB write into it
-- Purpose: one table of a result's JSON as CSV with a header line, for
-- spreadsheets (funnel report --export, funnel calibrate --export). Column
-- types are read_json's: numbers stay numbers, ISO timestamps become
-- timestamps, everything else text.
COPY (SELECT * FROM read_json($1, format = 'newline_delimited'))
TO $2 (FORMAT csv, HEADER true, USE_TMP_FILE false)
