-- name: LoadInsertEventsNew
-- Purpose: add the staged events when no stored event falls in the file's
-- time range (see load_overlap.sql): only duplicates within the file are
-- dropped, which is about a third cheaper than load_insert_events.sql.
-- Rows whose key hash is in load_repeated_keys (load_repeated_keys.sql)
-- are de-duplicated; the others are copied as they are.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- relation, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO events
SELECT lead_id, occurred_at, action, value FROM /*STAGE*/
WHERE hash(lead_id, occurred_at, action, value) NOT IN (SELECT h FROM load_repeated_keys)
UNION ALL
SELECT DISTINCT lead_id, occurred_at, action, value FROM /*STAGE*/
WHERE hash(lead_id, occurred_at, action, value) IN (SELECT h FROM load_repeated_keys)
