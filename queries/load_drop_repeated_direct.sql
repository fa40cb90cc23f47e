-- name: LoadDropRepeatedDirect
-- Purpose: delete the extra copies of repeated rows found by
-- load_repeated_rowids_direct.sql, whose rowids are the temporary table
-- /*ROWIDS*/ (column v).
-- /*TABLE*/ is replaced by the quoted stored table (events or stages).
DELETE FROM /*TABLE*/
WHERE rowid IN (SELECT v FROM /*ROWIDS*/)
