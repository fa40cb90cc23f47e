-- name: LoadStageSummary
-- Purpose: rows read, and the earliest and latest timestamp of the staging table,
-- which bound the stored rows a duplicate could be among. /*TS*/ is replaced
-- by the quoted name of the file kind's timestamp column.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
SELECT count(*), min(/*TS*/), max(/*TS*/) FROM /*STAGE*/
