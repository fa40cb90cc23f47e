-- name: LoadReadJSON
-- Parameters: $1 path of a JSON file: an array of objects, or one object per
-- line (.json, .ndjson, .jsonl, optionally .gz).
-- Purpose: the records of the file in file order, with detected types.
SELECT * FROM read_json_auto(?)
