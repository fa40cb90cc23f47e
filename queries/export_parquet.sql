-- name: WriteParquet
-- Parameters:
--   $1 path of the Parquet file to write: the caller's temporary file,
--      already created (USE_TMP_FILE false: written in place, see
--      convert_csv_parquet.sql)
-- Purpose: copy the Arrow table registered on this connection as the view
-- funnel_export (one table of report.json or calibration.json) into a
-- Parquet file, with the columns and types it was registered with.
COPY (SELECT * FROM funnel_export) TO $1 (FORMAT parquet, USE_TMP_FILE false)
