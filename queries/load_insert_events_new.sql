-- name: LoadInsertEventsNew
-- Purpose: add the staged events when no stored event falls in the file's
-- time range (see load_overlap.sql): only duplicates within the file are
-- dropped, which is about a third cheaper than load_insert_events.sql.
-- /*DISTINCT*/ is DISTINCT, or empty when load_stage_summary.sql found
-- no two staged rows equal.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO events
SELECT /*DISTINCT*/ lead_id, occurred_at, action, value FROM /*STAGE*/
