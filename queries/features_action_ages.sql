-- name: FeatureActionAges
-- Parameters:
--   $1 observe_days DOUBLE     as in FeatureLeads
--   $2 sales_stages VARCHAR[]  as in FeatureLeads
--   $3 rows         BIGINT[]   the sampled leads, by rowid in leads
-- Purpose: the raw material of a half-life search on a sample of leads: per
-- lead and action, the events strictly before the lead's cut-off (as in
-- FeatureActions), with
--   lead_row = the lead's rowid in leads, as FeatureLeads returns it;
--   n        = number of events;
--   age_days = each event's age at the cut-off in fractional days, in no order.
-- The caller computes Σ 0.5^(age/h) for every half-life h of its grid from
-- one scan of the events.
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
sample AS (
    SELECT DISTINCT unnest($3::BIGINT[]) AS lead_row
),
cut AS (
    SELECT l.lead_id,
           l.rowid AS lead_row,
           least(l.created_at + to_microseconds(CAST(round($1::DOUBLE * 86400000000) AS BIGINT)),
                 s.first_sales, b.data_end) AS cutoff
    FROM leads l
    CROSS JOIN bounds b
    SEMI JOIN sample x ON x.lead_row = l.rowid
    LEFT JOIN sales s USING (lead_id)
)
SELECT c.lead_row,
       e.action,
       count(*) AS n,
       list(date_diff('microsecond', e.occurred_at, c.cutoff) / 86400000000.0) AS age_days
FROM events e
JOIN cut c USING (lead_id)
WHERE e.occurred_at < c.cutoff
GROUP BY c.lead_row, e.action
