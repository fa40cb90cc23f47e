-- name: FunnelPeriod
-- Parameters:
--   $1 from TIMESTAMP  first instant of the first month
--   $2 to   TIMESTAMP  first instant after the last month
-- Purpose: stage entries by calendar month: for each month and funnel stage
-- index, the distinct leads that entered it in that month (stage 0: leads
-- created; the last stage: stage rows of that name or won outcomes). Every
-- entry counts, not only the first, so a lead re-entering a stage in a later
-- month counts again there. Orphan rows are left out. Needs fl_lead and
-- fl_entry.
WITH entries AS (
    SELECT lead_no, 0 AS idx, created_at AS ts FROM fl_lead
    UNION ALL
    SELECT lead_no, idx, ts FROM fl_entry WHERE idx >= 1
)
SELECT date_trunc('month', ts) AS month, idx::INTEGER AS idx, count(DISTINCT lead_no) AS leads
FROM entries
WHERE ts >= $1::TIMESTAMP AND ts < $2::TIMESTAMP
GROUP BY ALL
ORDER BY ALL
