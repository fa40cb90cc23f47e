-- name: FunnelActionGroups
-- Parameters:
--   $1 landmark INTEGER    the landmark age in days (as given to fl_act)
--   $2 data_end TIMESTAMP  end of the data
-- Purpose: the funnel histogram of the landmark population by the set of
-- actions done before the landmark (mask, bit i = action i; 0 = none): how
-- many leads share each (mask, max_idx, max_idx_w, immature, open). The
-- population is the included leads whose landmark, created_at + $1 days,
-- is within the data (≤ $2) and that had not reached the qualified stage,
-- nor any later funnel stage, before it (qualified_at, by implication
-- included, is NULL or at or after the landmark). Leads without events are
-- in it with mask 0. Needs fl_lead and fl_act.
SELECT coalesce(x.mask, 0::UBIGINT) AS mask, f.max_idx, f.max_idx_w, f.immature, f.open, count(*) AS leads
FROM fl_lead f
LEFT JOIN fl_act x USING (lead_no)
WHERE f.included
  AND f.created_at + to_days($1::INTEGER) <= $2::TIMESTAMP
  AND (f.qualified_at IS NULL OR f.qualified_at >= f.created_at + to_days($1::INTEGER))
GROUP BY ALL
ORDER BY ALL
