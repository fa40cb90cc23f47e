-- name: FeatureValueSums
-- Parameters:
--   $1, $2           the snapshot set's (see features_snapshots.sql)
--   $3 actions       VARCHAR[]  the actions whose event value is summed (exact names)
--   $4 created_to    TIMESTAMP  only leads created at or before it; NULL for all
-- Purpose: per snapshot and chosen action that the lead did strictly before
-- the snapshot's moment `at` (the same cut-off as FeatureActions),
--   lead_row, seq = the snapshot, as FeatureSnapshots returns it;
--   total         = Σ events.value over those events, NULL when none of
--                   them has a value.
-- A snapshot whose lead did not do the action before `at` has no row: its
-- sum is 0.
WITH /*SNAPSHOTS*/
SELECT s.lead_row,
       s.seq,
       e.action,
       sum(e.value) AS total
FROM events e
JOIN snapshots s USING (lead_id)
WHERE e.occurred_at < s.at
  AND list_contains($3::VARCHAR[], e.action)
  AND ($4::TIMESTAMP IS NULL OR s.created_at <= $4::TIMESTAMP)
GROUP BY s.lead_row, s.seq, e.action
