-- name: LoadStageSummary
-- Purpose: rows read; the earliest and latest timestamp of the staging
-- relation, which bound the stored rows a duplicate could be among; and how
-- many rows have a problem (load_first_problem.sql finds the first).
-- /*TS*/ is replaced by the quoted name of the file kind's timestamp column.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- relation, load_stage_<kind>, filled from the file before the transaction.
SELECT count(*), min(/*TS*/), max(/*TS*/), count(*) FILTER (WHERE _bad IS NOT NULL) FROM /*STAGE*/
