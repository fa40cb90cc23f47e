-- name: FeatureAsOfMoment
-- Parameters: $1, $2, the as-of snapshot set's (see snapshot_as_of.sql)
-- Purpose: one row: the set's one moment (moment.at): $1, or just after the
-- end of the data when $1 is NULL; NULL for a store without any timestamp;
-- and the end of the data (bounds.data_end, NULL likewise).
WITH /*SNAPSHOTS*/
SELECT m.at, b.data_end FROM moment m CROSS JOIN bounds b
