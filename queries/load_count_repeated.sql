-- name: LoadCountRepeated
-- Purpose: how many rows a file inserted in one pass repeats: the rows of
-- the temporary table load_repeated_rowids_direct.sql filled, counted
-- inside the load's transaction when they are deleted after its commit
-- (see writeFiles in load.go).
-- /*ROWIDS*/ is replaced by the quoted name of that table.
SELECT count(*) FROM /*ROWIDS*/
