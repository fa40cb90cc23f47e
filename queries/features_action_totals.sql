-- name: FeatureActionTotals
-- Parameters:
--   $1, $2          the snapshot set's (see features_snapshots.sql); meant
--                   for as-of sets, where a lead has one snapshot
--   $3 half_life_days DOUBLE  decay half-life in days; 0 for none
-- Purpose: per lead and action, what the lead did strictly before its (last)
-- snapshot moment snapshot_leads.at; events at or after it never count.
--   lead_row = the lead, as FeatureSnapshots returns it;
--   n        = number of events of the action before `at`;
--   decayed  = Σ 0.5^(age/half_life) with age = at − occurred_at in
--              fractional days (NULL when $3 is 0).
-- Scoring every lead at one moment needs only these totals, so they are
-- summed here rather than sent event by event (FeatureActionEvents), which
-- at 100M events would move every event into Go.
WITH /*SNAPSHOTS*/
SELECT s.lead_row,
       e.action,
       count(*) AS n,
       CASE WHEN $3::DOUBLE > 0 THEN
           sum(pow(0.5, (date_diff('microsecond', e.occurred_at, s.at) / 86400000000.0) / $3::DOUBLE))
       END AS decayed
FROM events e
JOIN snapshot_leads s USING (lead_id)
WHERE e.occurred_at < s.at
GROUP BY s.lead_row, e.action
