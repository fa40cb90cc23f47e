-- name: FeatureSnapshotsAsOf
-- Parameters:
--   $1, $2  the as-of set's (see /*SNAPSHOTS*/: snapshot_bounds.sql with
--           snapshot_as_of.sql)
-- Purpose: the rows of features_snapshots.sql, with its columns in its order,
-- for an as-of set: the leads scoring reads. Ties of created_at are put in
-- lead_id order by the caller, as for features_snapshots.sql. A score at a moment looks at no
-- outcome, so label, mature and qualified are false and the outcomes and
-- stages are not aggregated for them: that took about 1.7 s of 3.5 at 5M
-- leads.
WITH /*SNAPSHOTS*/
SELECT s.lead_id,
       s.created_at,
       s.channel,
       s.marks,
       s.at,
       false AS label,
       false AS mature,
       s.handed,
       false AS qualified,
       b.data_end,
       s.lead_row
FROM snapshot_leads s
CROSS JOIN bounds b
ORDER BY s.created_at NULLS LAST, s.lead_row
