-- name: LoadOverlap
-- Parameters: $1, $2 the earliest and latest timestamp of a staging table.
-- Purpose: whether the stored table (/*TABLE*/, events or stages, quoted)
-- has any row in that time range (/*TS*/ its quoted timestamp column). When
-- it has none, no staged row can be stored already and the insert only
-- needs to drop duplicates within the file. Zone maps make this cheap.
SELECT EXISTS (SELECT 1 FROM /*TABLE*/ WHERE /*TS*/ BETWEEN ? AND ?)
