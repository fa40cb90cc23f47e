-- name: FeatureActions
-- Parameters:
--   $1 observe_days DOUBLE     as in FeatureLeads
--   $2 sales_stages VARCHAR[]  as in FeatureLeads
-- Purpose: per lead and action, what the lead did strictly before its cut-off
-- (the same cut-off as FeatureLeads: least(created_at + observe, first
-- sales-stage entry, data_end)); events at or after the cut-off never count,
-- which keeps the features free of leakage.
--   n        = number of events of the action before the cut-off;
--   age_days = the age of each of those events at the cut-off,
--              (cut-off − occurred_at) in fractional days, in no order.
-- The caller computes decayed sums Σ 0.5^(age/h) for any number of
-- half-lives h from one scan of the events (measured: 8 half-lives as
-- list lambdas in SQL took 3.4 s for 2M events, the ages alone 0.45 s).
WITH bounds AS (
    SELECT greatest(
        (SELECT max(created_at) FROM leads),
        (SELECT max(occurred_at) FROM events),
        (SELECT max(entered_at) FROM stages),
        (SELECT max(closed_at) FROM outcomes)) AS data_end
),
sales AS (
    SELECT lead_id, min(entered_at) AS first_sales
    FROM stages
    WHERE list_contains($2::VARCHAR[], lower(stage))
    GROUP BY lead_id
),
cut AS (
    SELECT l.lead_id,
           least(l.created_at + to_microseconds(CAST(round($1::DOUBLE * 86400000000) AS BIGINT)),
                 s.first_sales, b.data_end) AS cutoff
    FROM leads l
    CROSS JOIN bounds b
    LEFT JOIN sales s USING (lead_id)
),
ages AS (
    SELECT e.lead_id,
           e.action,
           count(*) AS n,
           list(date_diff('microsecond', e.occurred_at, c.cutoff) / 86400000000.0) AS age_days
    FROM events e
    JOIN cut c USING (lead_id)
    WHERE e.occurred_at < c.cutoff
    GROUP BY e.lead_id, e.action
)
SELECT lead_id, action, n, age_days
FROM ages
