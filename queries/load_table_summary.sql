-- name: LoadTableSummary
-- Purpose: the latest timestamp of the stored table /*TABLE*/ (quoted;
-- leads, events or stages), /*TS*/ its quoted timestamp column: after
-- load_insert_direct.sql filled an empty table, the latest of the file.
SELECT max(/*TS*/) FROM /*TABLE*/
