-- name: LoadRepeatedRowidsDirect
-- Purpose: the temporary table /*ROWIDS*/ of the rowids (column v) of every
-- copy but the first of a row the file repeated, after a file was inserted
-- into the empty table in one pass (load_insert_direct.sql): the rows
-- LoadInsertDedupe's DISTINCT would have kept once on the staged path (the
-- natural key of events and stages is every column, NULLs alike).
-- /*HASHES*/ is the quoted temporary table (load_repeated_list.sql) of the
-- key hashes that two or more rows share. Rows that only share a hash
-- differ in their columns, are in different partitions and stay. Only the
-- rows of the shared hashes are compared, so a file with a few repeated
-- rows among 98M is not loaded a second time. As a table of known size the
-- rowids make load_drop_repeated_direct.sql's join build on them.
-- /*TABLE*/ is replaced by the quoted stored table (events or stages),
-- /*KEY*/ by its quoted natural key columns.
CREATE OR REPLACE TEMP TABLE /*ROWIDS*/ AS
SELECT rowid AS v
FROM (
    SELECT rowid, row_number() OVER (PARTITION BY /*KEY*/ ORDER BY rowid) AS copy
    FROM /*TABLE*/
    WHERE hash(/*KEY*/) IN (SELECT v FROM /*HASHES*/)
)
WHERE copy > 1
