-- name: LoadReadParquet
-- Parameters: $1 path of a Parquet file.
-- Purpose: the rows of the file in file order, with the file's own types.
SELECT * FROM read_parquet(?)
