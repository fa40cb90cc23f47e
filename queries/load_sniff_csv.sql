-- name: LoadSniffCSV
-- Parameters: $1 path of a CSV file.
-- Purpose: the delimiter, quote and escape characters and the number of
-- lines before the header that DuckDB's sniffer finds: to turn a record
-- number into a file line when a problem is reported, to find a quote left
-- open, to read the header as written, and to know whether a dot in a
-- number may be a thousands separator (in a ;-separated file).
-- The options are those of load_read_csv.sql that change what the sniffer
-- finds: rejecting rows (store_rejects) makes it ignore errors.
SELECT Delimiter, Quote, Escape, SkipRows FROM sniff_csv(?, header = true, ignore_errors = true)
