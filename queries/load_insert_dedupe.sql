-- name: LoadInsertDedupe
-- Purpose: add the staged rows of an events or stages file when no stored
-- row falls in the file's time range (see load_overlap.sql), dropping
-- duplicates within the file: rows whose key hash is in load_repeated_keys
-- (load_repeated_keys.sql) go through DISTINCT, the others are copied as
-- they are. About a third cheaper than load_insert_events.sql, which also
-- compares with the stored rows.
-- /*TABLE*/ is replaced by the quoted stored table (events or stages),
-- /*COLUMNS*/ by its quoted columns in table order (its natural key: every
-- column).
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- relation, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO /*TABLE*/
SELECT /*COLUMNS*/ FROM /*STAGE*/
WHERE hash(/*COLUMNS*/) NOT IN (SELECT h FROM load_repeated_keys)
UNION ALL
SELECT DISTINCT /*COLUMNS*/ FROM /*STAGE*/
WHERE hash(/*COLUMNS*/) IN (SELECT h FROM load_repeated_keys)
