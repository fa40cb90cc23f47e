-- name: LoadReadCSV
-- Parameters: $1 path of a CSV file (.csv, .tsv, .txt, optionally .gz).
-- Purpose: the rows of the file in file order, every column as text so the
-- loader validates and reports values itself. The delimiter is sniffed; the
-- first line must be the header.
SELECT * FROM read_csv(?, all_varchar = true, header = true)
