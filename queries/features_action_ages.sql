-- name: FeatureActionAges
-- Parameters:
--   $1, $2   the snapshot set's (see features_snapshots.sql)
--   $3 rows  BIGINT[]  the sampled leads, by rowid in leads
-- Purpose: the raw material of a half-life search on a sample of leads: per
-- snapshot of a sampled lead and action, the events strictly before the
-- snapshot's moment (as in FeatureActions), with
--   lead_row, seq = the snapshot, as FeatureSnapshots returns it;
--   n             = number of events;
--   age_days      = each event's age at the moment in fractional days, in no order.
-- The caller computes Σ 0.5^(age/h) for every half-life h of its grid from
-- one scan of the events.
WITH /*SNAPSHOTS*/,
sample AS (
    SELECT DISTINCT unnest($3::BIGINT[]) AS lead_row
)
SELECT s.lead_row,
       s.seq,
       e.action,
       count(*) AS n,
       list(date_diff('microsecond', e.occurred_at, s.at) / 86400000000.0) AS age_days
FROM events e
JOIN snapshots s USING (lead_id)
SEMI JOIN sample x ON x.lead_row = s.lead_row
WHERE e.occurred_at < s.at
GROUP BY s.lead_row, s.seq, e.action
