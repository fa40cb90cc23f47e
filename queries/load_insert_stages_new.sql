-- name: LoadInsertStagesNew
-- Purpose: add the staged stage rows when no stored row falls in the file's
-- time range, like load_insert_events_new.sql: rows whose key hash is in
-- load_repeated_keys are de-duplicated, the others copied as they are.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- relation, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO stages
SELECT lead_id, stage, entered_at FROM /*STAGE*/
WHERE hash(lead_id, stage, entered_at) NOT IN (SELECT h FROM load_repeated_keys)
UNION ALL
SELECT DISTINCT lead_id, stage, entered_at FROM /*STAGE*/
WHERE hash(lead_id, stage, entered_at) IN (SELECT h FROM load_repeated_keys)
