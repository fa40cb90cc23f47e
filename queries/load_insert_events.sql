-- name: LoadInsertEvents
-- Parameters: $1, $2 the earliest and latest occurred_at of the staging table.
-- Purpose: add the staged events that are not stored yet. An event's
-- natural key is all its columns; duplicates within the file and rows
-- already stored are skipped (EXCEPT is set difference, NULL value equal to
-- NULL). Only stored events inside the file's time range are compared, so
-- DuckDB's zone maps skip the rest of a large table.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO events
SELECT lead_id, occurred_at, action, value FROM /*STAGE*/
EXCEPT
SELECT lead_id, occurred_at, action, value FROM events WHERE occurred_at BETWEEN ? AND ?
