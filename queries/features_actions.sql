-- name: FeatureActions
-- Parameters:
--   $1 observe_days   DOUBLE     as in FeatureLeads
--   $2 sales_stages   VARCHAR[]  as in FeatureLeads
--   $3 half_life_days DOUBLE     decay half-life in days; 0 for none
--   $4 created_to     TIMESTAMP  only leads created at or before it (the
--                                mature leads are the oldest, and only they
--                                are fitted and tested)
-- Purpose: per lead and action, what the lead did strictly before its cut-off
-- (the same cut-off as FeatureLeads: least(created_at + observe, first
-- sales-stage entry, data_end)); events at or after the cut-off never count,
-- which keeps the features free of leakage.
--   lead_row = the lead's rowid in leads, as FeatureLeads returns it, so
--              the caller needs no lookup by id and no query sorts leads;
--   n        = number of events of the action before the cut-off;
--   decayed  = Σ 0.5^(age/half_life) with age = cut-off − occurred_at in
--              fractional days (NULL when $3 is 0).
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
           l.rowid AS lead_row,
           least(l.created_at + to_microseconds(CAST(round($1::DOUBLE * 86400000000) AS BIGINT)),
                 s.first_sales, b.data_end) AS cutoff
    FROM leads l
    CROSS JOIN bounds b
    LEFT JOIN sales s USING (lead_id)
    WHERE l.created_at <= $4::TIMESTAMP
)
SELECT c.lead_row,
       e.action,
       count(*) AS n,
       CASE WHEN $3::DOUBLE > 0 THEN
           sum(pow(0.5, (date_diff('microsecond', e.occurred_at, c.cutoff) / 86400000000.0) / $3::DOUBLE))
       END AS decayed
FROM events e
JOIN cut c USING (lead_id)
WHERE e.occurred_at < c.cutoff
GROUP BY c.lead_row, e.action
