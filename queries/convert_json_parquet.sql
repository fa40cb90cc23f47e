-- name: ConvertJSONToParquet
-- Parameters:
--   $1 path of a JSON file: an array of objects or one object per line
--      (.json, .ndjson, .jsonl, optionally .gz)
--   $2 path of the Parquet file to write: the caller's temporary file,
--      already created (USE_TMP_FILE false: written in place, see
--      convert_csv_parquet.sql)
-- Purpose: copy every record of the JSON file, in file order, into a Parquet
-- file, as funnel convert does, with the types JSON detection gives (the
-- same the loader sees when it reads the JSON file itself).
COPY (
    SELECT * FROM read_json_auto($1)
) TO $2 (FORMAT parquet, USE_TMP_FILE false)
