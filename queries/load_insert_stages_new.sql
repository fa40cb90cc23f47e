-- name: LoadInsertStagesNew
-- Purpose: add the staged stage entries when no stored entry falls in the
-- file's time range (see load_overlap.sql): only duplicates within the file
-- are dropped.
-- /*DISTINCT*/ is DISTINCT, or empty when load_stage_summary.sql found
-- no two staged rows equal.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO stages
SELECT /*DISTINCT*/ lead_id, stage, entered_at FROM /*STAGE*/
