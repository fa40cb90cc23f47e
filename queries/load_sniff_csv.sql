-- name: LoadSniffCSV
-- Parameters: $1 path of a CSV file.
-- Purpose: the delimiter, quote, escape and comment characters and the
-- number of lines before the header that DuckDB's sniffer finds: to read
-- the file in that dialect without sniffing it again (pinnedDialect in
-- load_csv_check.go), to turn a record
-- number into a file line when a problem is reported, to find a quote left
-- open, to read the header as written, and to know whether a dot in a
-- number may be a thousands separator (in a ;-separated file).
-- The options are those of load_read_csv.sql that change what the sniffer
-- finds: rejecting rows (store_rejects) makes it ignore errors.
-- The header's column names come too, as a JSON list, as read_csv names
-- them: with the dialect given back, the file's columns need no statement
-- of their own (DESCRIBE of the read took 0.04–0.09 s per file at 10M).
SELECT Delimiter, Quote, Escape, Comment, SkipRows, CAST(to_json([c.name FOR c IN Columns]) AS VARCHAR)
FROM sniff_csv(?, header = true, ignore_errors = true)
