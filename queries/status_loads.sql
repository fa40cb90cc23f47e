-- name: StatusLoads
-- Purpose: the load log, one row per file loaded, oldest first.
SELECT load_id, kind, file, sha256, rows_read, rows_added, duplicates, loaded_at
FROM loads
ORDER BY load_id, loaded_at, kind
