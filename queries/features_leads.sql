-- name: FeatureLeads
-- Parameters:
--   $1 observe_days  DOUBLE     observation window after creation, in days
--   $2 horizon_days  DOUBLE     outcome window after creation, in days
--   $3 sales_stages  VARCHAR[]  lower-case stage names owned by sales; the first
--                               entry into any of them ends the observation window
--   $4 target_stages VARCHAR[]  lower-case stage names that count as reaching SQL
-- /*TARGET*/ is replaced by the CTE of the target: won (closed-won outcome)
-- or reached_sql (entry into a stage of $4, or a won outcome). Choosing it in
-- the text rather than by a parameter keeps DuckDB from aggregating the
-- stages for an unused target (1.0 s of 2.6 s for 5M leads).
-- Purpose: one row per lead with what leak-free lead scoring needs:
--   cutoff   = least(created_at + observe, first sales-stage entry, data_end):
--              features may use only events strictly before it;
--   label    = the target happened within horizon days of created_at;
--   mature   = the outcome window has closed: created_at + horizon <= data_end.
--              A lead whose window is still open is immature even when it has
--              already reached the target: keeping early winners while dropping
--              the leads that may still win would inflate the target rate of
--              recent cohorts (censoring bias).
--   data_end = the latest timestamp anywhere in leads, events, stages, outcomes;
--   lead_row = the lead's rowid in leads, by which FeatureActions,
--              FeatureActionAges and FeatureAttributes name the lead.
-- Rows are ordered by created_at, then lead_id (the out-of-time order).
WITH bounds AS (
    SELECT greatest(
        (SELECT max(created_at) FROM leads),
        (SELECT max(occurred_at) FROM events),
        (SELECT max(entered_at) FROM stages),
        (SELECT max(closed_at) FROM outcomes)) AS data_end
),
params AS (
    SELECT to_microseconds(CAST(round($1::DOUBLE * 86400000000) AS BIGINT)) AS observe,
           to_microseconds(CAST(round($2::DOUBLE * 86400000000) AS BIGINT)) AS horizon
),
sales AS (
    SELECT lead_id, min(entered_at) AS first_sales
    FROM stages
    WHERE list_contains($3::VARCHAR[], lower(stage))
    GROUP BY lead_id
),
won AS (
    SELECT lead_id, min(closed_at) AS target_at
    FROM outcomes
    WHERE lower(outcome) = 'won'
    GROUP BY lead_id
),
reached_sql AS (
    SELECT lead_id, min(reached_at) AS target_at
    FROM (
        SELECT lead_id, entered_at AS reached_at FROM stages WHERE list_contains($4::VARCHAR[], lower(stage))
        UNION ALL
        SELECT lead_id, target_at AS reached_at FROM won
    )
    GROUP BY lead_id
),
target AS (
    SELECT lead_id, target_at FROM /*TARGET*/
),
base AS (
    SELECT l.lead_id,
           l.rowid AS lead_row,
           l.created_at,
           l.channel,
           least(l.created_at + p.observe, s.first_sales, b.data_end) AS cutoff,
           coalesce(t.target_at <= l.created_at + p.horizon, false) AS label,
           l.created_at + p.horizon <= b.data_end AS mature,
           b.data_end
    FROM leads l
    CROSS JOIN bounds b
    CROSS JOIN params p
    LEFT JOIN sales s USING (lead_id)
    LEFT JOIN target t USING (lead_id)
)
SELECT lead_id, created_at, channel, cutoff, label, mature, data_end, lead_row
FROM base
ORDER BY created_at, lead_id
