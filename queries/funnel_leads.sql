-- name: FunnelLeads
-- Parameters:
--   $1 last_idx   INTEGER    index of the last funnel stage (won)
--   $2 qualified  INTEGER    index of the qualified stage (mql)
--   $3 window     INTEGER    conversion window in days
--   $4 data_end   TIMESTAMP  end of the data
--   $5 from       TIMESTAMP  first instant of the first included cohort month
--   $6 to         TIMESTAMP  first instant after the last included cohort month
-- Purpose: temp table fl_lead, one row per lead of the leads table (a
-- lead_id listed twice takes its earliest row), with what every funnel table
-- is derived from:
--   channel, created_at, cohort (month of creation);
--   included       the cohort is within [$5, $6);
--   max_idx        the latest funnel stage reached by $4 (0 = only the first);
--                  every stage up to it is reached, explicitly or by implication;
--   max_idx_w      the same within $3 days of creation (conversion in window);
--   explicit_mask  bit i set when stage i was entered explicitly (i >= 1);
--   qualified_at   first time the lead reached the qualified stage,
--                  explicitly or by implication (NULL: never);
--   immature       created less than $3 days before $4 (window still open);
--   open           immature, not won and without any outcome.
-- Needs fl_stage_first.
CREATE OR REPLACE TEMP TABLE fl_lead AS
WITH l AS (
    SELECT lead_id, min(created_at) AS created_at, arg_min(channel, created_at) AS channel
    FROM leads
    GROUP BY lead_id
),
closed AS (
    SELECT DISTINCT lead_id FROM outcomes
),
agg AS (
    SELECT l.lead_id,
           any_value(l.channel) AS channel,
           any_value(l.created_at) AS created_at,
           coalesce(max(s.idx), 0)::INTEGER AS max_idx,
           coalesce(max(s.idx) FILTER (WHERE s.first_at <= l.created_at + to_days($3::INTEGER)), 0)::INTEGER AS max_idx_w,
           coalesce(bit_or(1::UBIGINT << s.idx::UBIGINT), 0::UBIGINT) AS explicit_mask,
           min(s.first_at) FILTER (WHERE s.idx >= $2::INTEGER) AS qualified_at
    FROM l
    LEFT JOIN fl_stage_first s USING (lead_id)
    GROUP BY l.lead_id
)
SELECT a.lead_id,
       a.channel,
       a.created_at,
       date_trunc('month', a.created_at) AS cohort,
       a.created_at >= $5::TIMESTAMP AND a.created_at < $6::TIMESTAMP AS included,
       a.max_idx,
       a.max_idx_w,
       a.explicit_mask,
       a.qualified_at,
       a.created_at + to_days($3::INTEGER) > $4::TIMESTAMP AS immature,
       a.created_at + to_days($3::INTEGER) > $4::TIMESTAMP
           AND a.max_idx < $1::INTEGER
           AND c.lead_id IS NULL AS open
FROM agg a
LEFT JOIN closed c USING (lead_id)
