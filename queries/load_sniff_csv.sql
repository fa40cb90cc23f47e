-- name: LoadSniffCSV
-- Parameters: $1 path of a CSV file.
-- Purpose: the quote and escape characters and the number of lines before
-- the header that DuckDB's sniffer finds, to turn a record number into a
-- file line when a problem is reported.
SELECT Quote, Escape, SkipRows FROM sniff_csv(?)
