-- name: FeatureActionTotals
-- Parameters:
--   $1, $2          the as-of snapshot set's (see features_snapshots.sql and
--                   snapshot_as_of.sql); only for as-of sets, where every
--                   dated lead has its one snapshot at the same moment
--                   (/*MOMENT*/) and an undated lead none (at NULL)
-- Spliced in as text of the statement (numbers and a timestamp formatted by
-- the caller, names as string literals with quotes doubled):
--   /*WEIGHT*/  the weight w of an event: 0.5^(age/half_life) with age =
--               moment − occurred_at in fractional days, or 1 (a count)
--               when there is no half-life;
--   /*MOMENT*/  the set's moment (features_as_of_moment.sql), a TIMESTAMP;
--   /*ACTIONS*/ the actions asked for, a list of string literals;
--   /*ACTION_SUMS*/ one column per action, k = 1, 2, …:
--               sum(w) FILTER (WHERE a = k) AS a<k>, a = the action's
--               position in /*ACTIONS*/ (comparing small integers in each
--               column's filter cost 10–20% less than comparing names).
-- As parameters, or the moment read from the moment CTE inside this query,
-- DuckDB computed the weight once per action column and joined the moment
-- to every event: 43 to 80 s at 98M events instead of 7.
-- Purpose: per lead, what it did of each action strictly before its
-- snapshot moment; events at or after it never count. One row per lead
-- with at least one such event:
--   lead_row = the lead, as FeatureSnapshots returns it;
--   a<k>     = Σ w over its events of the k-th action (NULL: none).
-- Scoring every lead at one moment needs only these totals, so they are
-- summed here rather than sent event by event (FeatureActionEvents), which
-- at 100M events would move every event into Go. As the moment is one for
-- all leads, the events are summed per lead id before meeting the leads,
-- and the actions are columns of one row per lead: grouping by lead and
-- action instead made 22M groups of 98M events and took about 1.5× as long
-- again as these filtered sums (which in turn cost about 2× one plain sum
-- per lead).
WITH /*SNAPSHOTS*/,
weighted AS (
    SELECT e.lead_id,
           list_position(/*ACTIONS*/, e.action) AS a,
           /*WEIGHT*/ AS w
    FROM events e
    WHERE e.occurred_at < /*MOMENT*/ AND list_contains(/*ACTIONS*/, e.action)
),
totals AS (
    SELECT lead_id, /*ACTION_SUMS*/
    FROM weighted
    GROUP BY lead_id
)
SELECT s.lead_row, t.* EXCLUDE (lead_id)
FROM totals t
JOIN snapshot_leads s USING (lead_id)
WHERE s.at IS NOT NULL
