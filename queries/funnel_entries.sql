-- name: FunnelEntries
-- Parameters:
--   $1 stages  VARCHAR[]  the funnel's stage names in order, lower case
--   $2 recycle VARCHAR[]  recycle stage names, lower case
-- Purpose: temp table fl_entry(lead_no, idx, ts, src), every stage row and
-- outcome of a known lead (orphans are left out), with idx:
--   0..n-1  a funnel stage ($1, 0-based; names compared in lower case);
--           a won outcome (outcome 'won' in any case) adds a row for the
--           last stage at closed_at;
--   -1      a recycle stage ($2);
--   -2      an outcome of any kind (the lead is closed);
--   -3      any other stage name.
-- src is 0 for rows from stages, 1 for rows from outcomes. Needs fl_base.
CREATE OR REPLACE TEMP TABLE fl_entry AS
WITH raw AS (
    SELECT lead_id,
           CASE
               WHEN list_contains($1::VARCHAR[], lower(stage)) THEN list_position($1::VARCHAR[], lower(stage)) - 1
               WHEN list_contains($2::VARCHAR[], lower(stage)) THEN -1
               ELSE -3
           END AS idx,
           entered_at AS ts,
           0 AS src
    FROM stages
    UNION ALL
    SELECT lead_id, -2 AS idx, closed_at AS ts, 1 AS src
    FROM outcomes
    UNION ALL
    SELECT lead_id, len($1::VARCHAR[]) - 1 AS idx, closed_at AS ts, 1 AS src
    FROM outcomes
    WHERE lower(outcome) = 'won'
)
SELECT b.lead_no, r.idx::TINYINT AS idx, r.ts, r.src::UTINYINT AS src
FROM raw r
JOIN fl_base b USING (lead_id)
