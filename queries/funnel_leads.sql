-- name: FunnelLeads
-- Parameters:
--   $1 last_idx   INTEGER    index of the last funnel stage (won)
--   $2 qualified  INTEGER    index of the qualified stage (mql)
--   $3 window     INTEGER    conversion window in days
--   $4 data_end   TIMESTAMP  end of the data
--   $5 from       TIMESTAMP  first instant of the first included cohort month
--   $6 to         TIMESTAMP  first instant after the last included cohort month
--   $7 undated    BOOLEAN    whether leads without created_at are included
-- Purpose: temp table fl_lead, one row per lead (lead_no, lead_id, channel,
-- created_at) with what every funnel table is derived from:
--   cohort         month of creation; NULL for an undated lead (created_at
--                  NULL: a flat export without dates);
--   included       the cohort is within [$5, $6); an undated lead when $7;
--   max_idx        the latest funnel stage reached by $4 (0 = only the first);
--                  every stage up to it is reached, explicitly or by implication;
--   max_idx_w      the same within $3 days of creation (conversion in window);
--   explicit_mask  bit i set when stage i was entered explicitly (i >= 1);
--   qualified_at   first time the lead reached the qualified stage,
--                  explicitly or by implication (NULL: never);
--   immature       created less than $3 days before $4 (window still open);
--                  never for an undated lead, whose outcome (if any) is
--                  taken as known: a flat export states it as of the export;
--   open           immature, not won and without any outcome.
-- A stage or outcome entry without a date (an outcome read from a leads
-- file's outcome column) counts as within the window.
-- Needs fl_base, fl_entry and fl_first.
CREATE OR REPLACE TEMP TABLE fl_lead AS
WITH agg AS (
    SELECT f.lead_no,
           max(f.idx)::INTEGER AS max_idx,
           max(f.idx) FILTER (WHERE f.first_at IS NULL OR b.created_at IS NULL
                                    OR f.first_at <= b.created_at + to_days($3::INTEGER))::INTEGER AS max_idx_w,
           bit_or(1::UBIGINT << f.idx::UBIGINT) AS explicit_mask,
           min(f.first_at) FILTER (WHERE f.idx >= $2::INTEGER) AS qualified_at
    FROM fl_first f
    JOIN fl_base b USING (lead_no)
    GROUP BY f.lead_no
),
closed AS (
    SELECT DISTINCT lead_no FROM fl_entry WHERE idx = -2
)
SELECT b.lead_no,
       b.lead_id,
       b.channel,
       b.created_at,
       date_trunc('month', b.created_at) AS cohort,
       coalesce(b.created_at >= $5::TIMESTAMP AND b.created_at < $6::TIMESTAMP, $7::BOOLEAN) AS included,
       coalesce(a.max_idx, 0) AS max_idx,
       coalesce(a.max_idx_w, 0) AS max_idx_w,
       coalesce(a.explicit_mask, 0::UBIGINT) AS explicit_mask,
       a.qualified_at,
       coalesce(b.created_at + to_days($3::INTEGER) > $4::TIMESTAMP, false) AS immature,
       coalesce(b.created_at + to_days($3::INTEGER) > $4::TIMESTAMP, false)
           AND coalesce(a.max_idx, 0) < $1::INTEGER
           AND c.lead_no IS NULL AS open
FROM fl_base b
LEFT JOIN agg a USING (lead_no)
LEFT JOIN closed c USING (lead_no)
