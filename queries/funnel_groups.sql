-- name: FunnelGroups
-- Parameters: none
-- Purpose: the funnel histogram of the included leads by channel and cohort
-- month: how many leads share each (max_idx, max_idx_w, immature, open).
-- Every count and rate of by_channel, by_month and total is a sum over it.
-- Needs fl_lead.
SELECT channel, cohort, max_idx, max_idx_w, immature, open, count(*) AS leads
FROM fl_lead
WHERE included
GROUP BY ALL
ORDER BY ALL
