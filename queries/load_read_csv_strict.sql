-- name: LoadReadCSVStrict
-- /*PATH*/ is replaced by the path, as an SQL string literal (a staging view
-- cannot take parameters), of a CSV file (.csv, .tsv, .txt, optionally .gz).
-- Purpose: the rows of the file in file order, every column as text, for
-- the one-pass insert (load_insert_direct.sql): like load_read_csv.sql, but
-- a row the reader cannot split fails the read instead of going to
-- load_rejects, which sends the load back to the staged path, whose reader
-- (load_read_csv.sql) reports it by line. Not recording rejects saves
-- about a tenth of reading and inserting the events.
SELECT * FROM read_csv(/*PATH*/, all_varchar = true, header = true)
