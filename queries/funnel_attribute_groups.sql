-- name: FunnelAttributeGroups
-- Parameters:
--   $1 attribute VARCHAR  profile attribute name (lead_attributes.name)
-- Purpose: the funnel histogram of the included leads by the value of one
-- attribute (the smallest value if a lead has several; '' when it has none).
-- Needs fl_lead.
WITH a AS (
    SELECT lead_id, min(value) AS value
    FROM lead_attributes
    WHERE name = $1
    GROUP BY lead_id
)
SELECT coalesce(a.value, '') AS value, f.max_idx, f.max_idx_w, f.immature, f.open, count(*) AS leads
FROM fl_lead f
LEFT JOIN a USING (lead_id)
WHERE f.included
GROUP BY ALL
ORDER BY ALL
