-- name: ConvertCSVToParquet
-- Parameters:
--   $1 path of a CSV file (.csv, .tsv, .txt, optionally .gz); the delimiter
--      is sniffed and the first line must be the header
--   $2 path of the Parquet file to write: the caller's temporary file,
--      already created, so USE_TMP_FILE false makes DuckDB write into it
--      rather than into a tmp_ file of its own renamed over it (which a
--      killed run would leave behind)
-- Purpose: copy every row of the CSV file, in file order, into a Parquet
-- file, as funnel convert does. Column types are detected, but only text and
-- timestamps are candidates: a timestamp column is stored typed (so loading
-- the Parquet file needs no text parsing), every other column stays text, so
-- an identifier like 00123 keeps its leading zeros and numbers are checked by
-- the loader exactly as from the CSV. Offsets (Z, +02:00) make a timestamp
-- WITH TIME ZONE, stored as the UTC instant. Rows the reader cannot split
-- (more or fewer fields than the header, bad quoting) go to the temporary
-- table load_rejects, as in load_read_csv.sql (which also makes the sniffer
-- find the delimiter of a ragged file); the caller refuses the file when it
-- holds any.
COPY (
    SELECT * FROM read_csv($1, header = true,
        auto_type_candidates = ['VARCHAR', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'],
        store_rejects = true, rejects_table = 'load_rejects', rejects_scan = 'load_reject_scans')
) TO $2 (FORMAT parquet, USE_TMP_FILE false)
