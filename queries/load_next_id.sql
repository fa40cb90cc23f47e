-- name: LoadNextID
-- Purpose: the load_id of a new load: one more than the largest recorded.
SELECT coalesce(max(load_id), 0) + 1 FROM loads
