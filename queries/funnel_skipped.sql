-- name: FunnelSkipped
-- Parameters: none
-- Purpose: how many leads (whole store) share each (max_idx, explicit_mask),
-- from which the stages reached only by implication are counted. Needs
-- fl_lead.
SELECT max_idx, explicit_mask, count(*) AS leads
FROM fl_lead
GROUP BY ALL
ORDER BY ALL
