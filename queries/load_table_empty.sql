-- name: LoadTableEmpty
-- Purpose: whether the stored table /*TABLE*/ (quoted; events or stages)
-- holds no row, so a file of its kind cannot repeat a stored row and is
-- checked and inserted in one pass (load_insert_direct.sql).
SELECT NOT EXISTS (SELECT 1 FROM /*TABLE*/)
