-- name: LoadInsertStages
-- Parameters: $1, $2 the earliest and latest entered_at of the staging table.
-- Purpose: add the staged stage entries that are not stored yet; natural key
-- (lead_id, stage, entered_at). Duplicates within the file and rows already
-- stored are skipped.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO stages
SELECT lead_id, stage, entered_at FROM /*STAGE*/
EXCEPT
SELECT lead_id, stage, entered_at FROM stages WHERE entered_at BETWEEN ? AND ?
