-- name: FunnelStageFirst
-- Parameters:
--   $1 stages VARCHAR[]  the funnel's stage names in order, lower case
-- Purpose: temp table fl_stage_first(lead_id, idx, first_at): for every lead
-- of the leads table and every funnel stage after the first that it entered
-- explicitly, its first entry. idx is the 0-based position of the stage in
-- $1. Stage names are compared in lower case. The last stage is entered by a
-- stage row of that name or by a won outcome (outcome 'won' in any case, at
-- closed_at), whichever is first. Rows of unknown leads (orphans) are left
-- out.
CREATE OR REPLACE TEMP TABLE fl_stage_first AS
SELECT x.lead_id, x.idx::INTEGER AS idx, min(x.ts) AS first_at
FROM (
    SELECT s.lead_id, coalesce(list_position($1::VARCHAR[], lower(s.stage)), 0) - 1 AS idx, s.entered_at AS ts
    FROM stages s
    UNION ALL
    SELECT o.lead_id, len($1::VARCHAR[]) - 1 AS idx, o.closed_at AS ts
    FROM outcomes o
    WHERE lower(o.outcome) = 'won'
) x
WHERE x.idx >= 1
  AND x.lead_id IN (SELECT lead_id FROM leads)
GROUP BY x.lead_id, x.idx
