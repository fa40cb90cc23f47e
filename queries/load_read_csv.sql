-- name: LoadReadCSV
-- /*PATH*/ is replaced by the path, as an SQL string literal (a staging view
-- cannot take parameters), of a CSV file (.csv, .tsv, .txt, optionally .gz).
-- Purpose: the rows of the file in file order, every column as text so the
-- loader validates and reports values itself. The delimiter is sniffed; the
-- first line must be the header. Rows the CSV reader cannot split (a wrong
-- number of fields, bad quoting) go to the temporary table load_rejects
-- instead of failing the read, so the loader can report them by line.
-- /*DIALECT*/ is replaced by the dialect the sniffer found in an earlier
-- sniff_csv of the file (load_sniff_csv.sql), as read_csv options, so that
-- each statement reading the file does not sniff it again; or by nothing.
SELECT * FROM read_csv(/*PATH*/, all_varchar = true, header = true/*DIALECT*/,
    store_rejects = true, rejects_table = 'load_rejects', rejects_scan = 'load_reject_scans')
