-- name: FunnelActionGroups
-- Parameters:
--   $1 n_actions BIGINT  number of tracked actions (bits of fl_act.mask)
-- Purpose: the funnel histogram of the included leads by action done before
-- reaching the qualified stage: for each action bit, how many of the leads
-- with that bit set share each (max_idx, max_idx_w, immature, open).
-- Needs fl_lead and fl_act.
SELECT b.bit, f.max_idx, f.max_idx_w, f.immature, f.open, count(*) AS leads
FROM fl_act x
JOIN fl_lead f USING (lead_id)
CROSS JOIN (SELECT range AS bit FROM range($1::BIGINT)) b
WHERE f.included
  AND x.mask IS NOT NULL
  AND (x.mask >> b.bit::UBIGINT) & 1::UBIGINT = 1::UBIGINT
GROUP BY ALL
ORDER BY ALL
