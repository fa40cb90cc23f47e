-- name: StatusOrphans
-- Purpose: rows of a table (/*TABLE*/: events, stages or outcomes, quoted)
-- whose lead_id is not in leads: how many rows, and up to 5 of their
-- lead_ids (the smallest, for a stable answer).
WITH orphans AS (
    SELECT t.lead_id, count(*) AS n
    FROM /*TABLE*/ AS t ANTI JOIN leads AS l ON l.lead_id = t.lead_id
    GROUP BY t.lead_id
)
SELECT coalesce(sum(n), 0)::BIGINT, coalesce(min(lead_id, 5), [])
FROM orphans
