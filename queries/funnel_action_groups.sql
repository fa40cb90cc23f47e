-- name: FunnelActionGroups
-- Parameters: none
-- Purpose: the funnel histogram of the included leads by the set of actions
-- done before reaching the qualified stage (mask, bit i = action i): how
-- many leads share each (mask, max_idx, max_idx_w, immature, open). Leads
-- with no such action are left out. Needs fl_lead and fl_act.
SELECT x.mask, f.max_idx, f.max_idx_w, f.immature, f.open, count(*) AS leads
FROM fl_act x
JOIN fl_lead f USING (lead_no)
WHERE f.included
  AND x.mask IS NOT NULL
GROUP BY ALL
ORDER BY ALL
