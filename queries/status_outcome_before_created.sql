-- name: StatusOutcomeBeforeCreated
-- Purpose: outcomes dated before their lead was created: how many outcome
-- rows, and up to 5 of their lead_ids (the smallest).
WITH early AS (
    SELECT o.lead_id, count(*) AS n
    FROM outcomes AS o JOIN leads AS l ON l.lead_id = o.lead_id
    WHERE o.closed_at < l.created_at
    GROUP BY o.lead_id
)
SELECT coalesce(sum(n), 0)::BIGINT, coalesce(min(lead_id, 5), [])
FROM early
