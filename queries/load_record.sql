-- name: LoadRecord
-- Parameters: $1 load_id, $2 kind, $3 file (absolute path), $4 sha256 (hex),
-- $5 rows read, $6 rows added, $7 duplicates skipped, $8 loaded at (UTC).
-- Purpose: log one loaded file in the loads table.
INSERT INTO loads (load_id, kind, file, sha256, rows_read, rows_added, duplicates, loaded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
