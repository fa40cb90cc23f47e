-- name: FunnelPeriod
-- Parameters:
--   $1 from TIMESTAMP  first instant of the first month
--   $2 to   TIMESTAMP  first instant after the last month
-- Purpose: stage entries by calendar month: for each month and funnel stage
-- index from 1 on, the distinct leads that entered it in that month (the
-- last stage: stage rows of that name or won outcomes). Every entry counts,
-- not only the first, so a lead re-entering a stage in a later month counts
-- again there. Orphan rows are left out. (Stage 0, leads created per month,
-- is the cohort size the caller already has.) Needs fl_entry.
SELECT date_trunc('month', ts) AS month, idx::INTEGER AS idx, count(DISTINCT lead_no) AS leads
FROM fl_entry
WHERE idx >= 1
  AND ts >= $1::TIMESTAMP AND ts < $2::TIMESTAMP
GROUP BY ALL
ORDER BY ALL
