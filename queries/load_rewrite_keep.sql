-- name: LoadRewriteKeep
-- Purpose: one row group's rows that stay when it is rewritten: the rows of
-- /*TABLE*/ with rowids in [/*LO*/, /*HI*/) that are not marked in the
-- temporary table /*ROWIDS*/ (column v). One such SELECT per row group is
-- joined with UNION ALL (a single rowid range lets DuckDB read only that
-- row group; ranges joined with OR made it read the whole table).
SELECT * FROM /*TABLE*/
WHERE rowid >= /*LO*/ AND rowid < /*HI*/ AND rowid NOT IN (SELECT v FROM /*ROWIDS*/)
