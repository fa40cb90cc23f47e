-- name: FunnelRecycling
-- Parameters:
--   $1 stages    VARCHAR[]  the funnel's stage names in order, lower case
--   $2 qualified INTEGER    index of the qualified stage in $1
--   $3 recycle   VARCHAR[]  recycle stage names, lower case
-- Purpose: recycling of included leads, from explicit stage rows:
--   qualified  leads with a stage row for the qualified stage;
--   recycled   those with a recycle stage row after their first qualified one;
--   returned   recycled leads that after their first recycling entered the
--              qualified stage or any later funnel stage (or won) again;
--   after      for returned leads, the latest funnel stage index entered at or
--              after their return, one row per index with its lead count.
-- Rows: (kind, idx, leads) with kind in qualified, recycled, returned, after
-- (idx NULL except for after). Needs fl_lead.
WITH s AS (
    SELECT st.lead_id, lower(st.stage) AS stage,
           coalesce(list_position($1::VARCHAR[], lower(st.stage)), 0) - 1 AS idx,
           st.entered_at AS ts
    FROM stages st
    JOIN fl_lead f USING (lead_id)
    WHERE f.included
),
funnel AS (
    SELECT lead_id, idx, ts FROM s WHERE idx >= 1
    UNION ALL
    SELECT o.lead_id, len($1::VARCHAR[]) - 1 AS idx, o.closed_at AS ts
    FROM outcomes o
    JOIN fl_lead f USING (lead_id)
    WHERE f.included AND lower(o.outcome) = 'won'
),
q1 AS (
    SELECT lead_id, min(ts) AS q_at FROM s WHERE idx = $2::INTEGER GROUP BY lead_id
),
r AS (
    SELECT s.lead_id, min(s.ts) AS r_at
    FROM s JOIN q1 USING (lead_id)
    WHERE list_contains($3::VARCHAR[], s.stage) AND s.ts > q1.q_at
    GROUP BY s.lead_id
),
ret AS (
    SELECT fu.lead_id, min(fu.ts) AS ret_at
    FROM funnel fu JOIN r USING (lead_id)
    WHERE fu.idx >= $2::INTEGER AND fu.ts > r.r_at
    GROUP BY fu.lead_id
),
after AS (
    SELECT fu.lead_id, max(fu.idx) AS idx
    FROM funnel fu JOIN ret USING (lead_id)
    WHERE fu.ts >= ret.ret_at
    GROUP BY fu.lead_id
)
SELECT 'qualified' AS kind, NULL::INTEGER AS idx, count(*) AS leads FROM q1
UNION ALL
SELECT 'recycled', NULL, count(*) FROM r
UNION ALL
SELECT 'returned', NULL, count(*) FROM ret
UNION ALL
SELECT 'after', idx::INTEGER, count(*) FROM after GROUP BY idx
