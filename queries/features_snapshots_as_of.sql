-- name: FeatureSnapshotsAsOf
-- Parameters:
--   $1, $2  the as-of set's (see /*SNAPSHOTS*/: snapshot_bounds.sql with
--           snapshot_as_of.sql)
-- Purpose: the leads scoring reads, one row each, in the order they are
-- stored (the caller sorts them as features_snapshots.sql's rows):
--   lead_id, created_at, channel, lead_row as in features_snapshots.sql.
-- Which of them were handed over is features_handed_as_of.sql, read beside
-- it: joining handed here made DuckDB return the leads out of their stored
-- order, which is usually created_at order already, and the query took
-- 2.7 s at 5M leads against 1.0 s for this one and 0.8 s for that one.
-- The other columns of features_snapshots.sql are the same for every lead
-- of an as-of set, and the caller takes them from
-- features_as_of_moment.sql: at is the set's moment (none for an undated
-- lead), data_end the set's, and a score at a moment looks at no outcome,
-- so label, mature and qualified are false.
WITH /*SNAPSHOTS*/
SELECT a.lead_id,
       a.created_at,
       a.channel,
       a.lead_row
FROM as_of_leads a
