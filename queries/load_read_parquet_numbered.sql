-- name: LoadReadParquetNumbered
-- Purpose: the rows of a Parquet file with their 0-based record number in
-- file_row_number, for a staging view that reads the file in place.
-- /*PATH*/ is replaced by the file's path as an SQL string literal: a view
-- cannot take parameters.
SELECT * FROM read_parquet(/*PATH*/, file_row_number = true)
