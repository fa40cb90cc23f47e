-- name: LoadFirstProblem
-- Purpose: the first row of the staging table (in file order) that has a problem:
-- its 0-based record number, the column, the kind of problem (empty,
-- timestamp, number, outcome), the value as read, and how many rows have a
-- problem in all. No row when the file is clean.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
SELECT rowid, _bad.col, _bad.kind, _bad.value, count(*) OVER () AS problems
FROM /*STAGE*/
WHERE _bad IS NOT NULL
ORDER BY rowid
LIMIT 1
