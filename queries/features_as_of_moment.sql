-- name: FeatureAsOfMoment
-- Parameters: $1, $2, the as-of snapshot set's (see snapshot_as_of.sql)
-- Purpose: the set's one moment (moment.at): $1, or just after the end of
-- the data when $1 is NULL; NULL for a store without any timestamp.
WITH /*SNAPSHOTS*/
SELECT m.at FROM moment m
