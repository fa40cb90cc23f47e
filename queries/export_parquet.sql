-- name: ExportParquet
-- Parameters:
--   $1 path of a newline-delimited JSON file, as for ExportCSV
--   $2 path of the Parquet file to write: the caller's temporary file,
--      already created (USE_TMP_FILE false)
-- Purpose: the same table as ExportCSV, typed, as Parquet for BI tools.
COPY (SELECT * FROM read_json($1, format = 'newline_delimited'))
TO $2 (FORMAT parquet, USE_TMP_FILE false)
