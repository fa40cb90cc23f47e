-- name: LoadFirstFuture
-- Parameters: $1 the latest timestamp accepted (the moment of the load plus
-- the clock-skew margin, UTC).
-- Purpose: the first row of the staging relation (in file order) whose
-- timestamp is after $1: its 0-based record number, the timestamp, and how
-- many rows are after $1 in all. No row when none is.
-- /*TS*/ is replaced by the quoted name of the file kind's timestamp column.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- relation, load_stage_<kind>, filled from the file before the transaction.
SELECT rowid, /*TS*/, count(*) OVER ()
FROM /*STAGE*/
WHERE /*TS*/ > ?
ORDER BY rowid
LIMIT 1
