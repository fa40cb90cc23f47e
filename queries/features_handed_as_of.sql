-- name: FeatureHandedAsOf
-- Parameters:
--   $1, $2  the as-of set's (see /*SNAPSHOTS*/: snapshot_bounds.sql with
--           snapshot_as_of.sql)
-- Purpose: the rowid in leads (lead_row) of every lead of the set that was
-- handed over before the moment (snapshot_leads.handed), in no order.
WITH /*SNAPSHOTS*/
SELECT s.lead_row
FROM snapshot_leads s
WHERE s.handed
