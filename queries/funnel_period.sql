-- name: FunnelPeriod
-- Parameters:
--   $1 stages VARCHAR[]  the funnel's stage names in order, lower case
--   $2 from   TIMESTAMP  first instant of the first month
--   $3 to     TIMESTAMP  first instant after the last month
-- Purpose: stage entries by calendar month: for each month and funnel stage
-- index, the distinct leads that entered it in that month (stage 0: leads
-- created; the last stage: stage rows of that name or won outcomes). Every
-- entry counts, not only the first, so a lead re-entering a stage in a later
-- month counts again there. Orphan rows are left out. Needs fl_lead.
WITH entries AS (
    SELECT lead_id, 0 AS idx, created_at AS ts
    FROM fl_lead
    UNION ALL
    SELECT lead_id, coalesce(list_position($1::VARCHAR[], lower(stage)), 0) - 1 AS idx, entered_at AS ts
    FROM stages
    UNION ALL
    SELECT lead_id, len($1::VARCHAR[]) - 1 AS idx, closed_at AS ts
    FROM outcomes
    WHERE lower(outcome) = 'won'
)
SELECT date_trunc('month', ts) AS month, idx::INTEGER AS idx, count(DISTINCT lead_id) AS leads
FROM entries
WHERE idx >= 0
  AND ts >= $2::TIMESTAMP AND ts < $3::TIMESTAMP
  AND lead_id IN (SELECT lead_id FROM fl_lead)
GROUP BY ALL
ORDER BY ALL
