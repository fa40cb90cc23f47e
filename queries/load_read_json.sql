-- name: LoadReadJSON
-- /*PATH*/ is replaced by the path, as an SQL string literal (a staging view
-- cannot take parameters), of a JSON file: an array of objects, or one object per
-- line (.json, .ndjson, .jsonl, optionally .gz).
-- Purpose: the records of the file in file order, with types detected from
-- every record (sample_size = -1), so that a value unlike the others (a bad
-- date after thousands of good ones) makes its column text, which the loader
-- then reports by record, instead of failing the read.
SELECT * FROM read_json_auto(/*PATH*/, sample_size = -1)
