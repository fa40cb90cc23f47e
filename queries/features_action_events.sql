-- name: FeatureActionEvents
-- Parameters:
--   $1, $2          the snapshot set's (see features_snapshots.sql)
--   $3 created_to   TIMESTAMP  only leads created at or before it (the mature
--                              leads are the oldest, and only they are
--                              fitted and tested)
-- Purpose: the raw material of every action feature, in one scan of the
-- events: each event of a lead with snapshots that happened before the
-- lead's last snapshot moment (snapshot_leads.at), with
--   lead_row = the lead's rowid, as FeatureSnapshots returns it;
--   action   = the event's action;
--   age_us   = occurred_at − created_at in microseconds (negative for an
--              event before the lead's creation);
--   value    = the event's value (NULL when it has none).
-- An event counts for a snapshot of the lead at age span exactly when
-- age_us < span (occurred_at strictly before the moment), and its decay age
-- there is span − age_us: the caller derives the counts and decayed sums of
-- every snapshot and half-life from these rows, instead of joining the
-- events once per snapshot and once more per half-life.
WITH /*SNAPSHOTS*/
SELECT s.lead_row,
       e.action,
       date_diff('microsecond', s.created_at, e.occurred_at) AS age_us,
       e.value
FROM events e
JOIN snapshot_leads s USING (lead_id)
WHERE e.occurred_at < s.at AND s.created_at <= $3::TIMESTAMP
