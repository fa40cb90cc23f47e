-- name: StatusLoads
-- Purpose: the load log, one row per file loaded, oldest first; within a
-- load in load order (leads, events, stages, outcomes).
SELECT load_id, kind, file, sha256, rows_read, rows_added, duplicates, loaded_at
FROM loads
ORDER BY load_id, list_position(['leads', 'events', 'stages', 'outcomes'], kind), file
