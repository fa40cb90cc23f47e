-- name: StatusDuplicates
-- Purpose: how many input rows all loads skipped as duplicates (repeated
-- within a file or already stored).
SELECT coalesce(sum(duplicates), 0) FROM loads
