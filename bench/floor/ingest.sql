-- name: Ingest
-- Parameters: $1 path of an input file (CSV or Parquet).
-- Purpose: DuckDB's own ingest of one file, the floor `funnel load` is
-- measured against: the file's rows into a new table with the types
-- DuckDB's reader gives them (sniffed for CSV), nothing checked.
-- /*TABLE*/ is the table's name, /*READER*/ read_csv or read_parquet.
CREATE TABLE /*TABLE*/ AS SELECT * FROM /*READER*/(?)
