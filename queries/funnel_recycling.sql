-- name: FunnelRecycling
-- Parameters:
--   $1 qualified INTEGER  index of the qualified stage
-- Purpose: recycling of included leads, from explicit entries (fl_entry):
--   qualified  leads with a stage row for the qualified stage (bit $1 of
--              fl_lead.explicit_mask);
--   recycled   those with a recycle stage row after their first qualified one;
--   returned   recycled leads that after their first recycling entered the
--              qualified stage or any later funnel stage (or won) again;
--   after      for returned leads, the latest funnel stage index entered at or
--              after their return, one row per index with its lead count.
-- Rows: (kind, idx, leads) with kind in qualified, recycled, returned, after
-- (idx NULL except for after). Only leads with a recycle entry are followed
-- entry by entry. Needs fl_lead and fl_entry.
WITH recycled_leads AS (
    SELECT DISTINCT lead_no FROM fl_entry WHERE idx = -1
),
s AS (
    SELECT e.lead_no, e.idx, e.ts
    FROM fl_entry e
    JOIN recycled_leads USING (lead_no)
    JOIN fl_lead f USING (lead_no)
    WHERE f.included AND (e.idx >= 1 OR e.idx = -1)
),
q1 AS (
    SELECT lead_no, min(ts) AS q_at FROM s WHERE idx = $1::INTEGER GROUP BY lead_no
),
r AS (
    SELECT s.lead_no, min(s.ts) AS r_at
    FROM s JOIN q1 USING (lead_no)
    WHERE s.idx = -1 AND s.ts > q1.q_at
    GROUP BY s.lead_no
),
ret AS (
    SELECT s.lead_no, min(s.ts) AS ret_at
    FROM s JOIN r USING (lead_no)
    WHERE s.idx >= $1::INTEGER AND s.ts > r.r_at
    GROUP BY s.lead_no
),
after AS (
    SELECT s.lead_no, max(s.idx) AS idx
    FROM s JOIN ret USING (lead_no)
    WHERE s.idx >= 1 AND s.ts >= ret.ret_at
    GROUP BY s.lead_no
)
SELECT 'qualified' AS kind, NULL::INTEGER AS idx, count(*) AS leads
FROM fl_lead
WHERE included AND (explicit_mask >> $1::UBIGINT) & 1::UBIGINT = 1::UBIGINT
UNION ALL
SELECT 'recycled', NULL, count(*) FROM r
UNION ALL
SELECT 'returned', NULL, count(*) FROM ret
UNION ALL
SELECT 'after', idx::INTEGER, count(*) FROM after GROUP BY idx
