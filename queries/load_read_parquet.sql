-- name: LoadReadParquet
-- /*PATH*/ is replaced by the path, as an SQL string literal (a staging view
-- cannot take parameters), of a Parquet file.
-- Purpose: the rows of the file in file order, with the file's own types.
SELECT * FROM read_parquet(/*PATH*/)
