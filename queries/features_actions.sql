-- name: FeatureActions
-- Parameters:
--   $1, $2          the snapshot set's (see features_snapshots.sql)
--   $3 half_life_days DOUBLE     decay half-life in days; 0 for none
--   $4 created_to     TIMESTAMP  only leads created at or before it (the
--                                mature leads are the oldest, and only they
--                                are fitted and tested)
-- Purpose: per snapshot and action, what the lead did strictly before the
-- snapshot's moment `at`; events at or after it never count, which keeps the
-- features free of leakage.
--   lead_row, seq = the snapshot, as FeatureSnapshots returns it;
--   n             = number of events of the action before `at`;
--   decayed       = Σ 0.5^(age/half_life) with age = at − occurred_at in
--                   fractional days (NULL when $3 is 0).
WITH /*SNAPSHOTS*/
SELECT s.lead_row,
       s.seq,
       e.action,
       count(*) AS n,
       CASE WHEN $3::DOUBLE > 0 THEN
           sum(pow(0.5, (date_diff('microsecond', e.occurred_at, s.at) / 86400000000.0) / $3::DOUBLE))
       END AS decayed
FROM events e
JOIN snapshots s USING (lead_id)
WHERE e.occurred_at < s.at AND s.created_at <= $4::TIMESTAMP
GROUP BY s.lead_row, s.seq, e.action
