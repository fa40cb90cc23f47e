-- name: FunnelAttributeGroups
-- Parameters:
--   $1 attribute VARCHAR  profile attribute name (lead_attributes.name)
-- Purpose: the funnel histogram of the included leads by the value of one
-- attribute (the smallest value if a lead has several; '' when it has none).
-- Needs fl_lead.
-- /*ATTRIBUTES*/ is replaced by a relation of (lead_row, lead_id, name,
-- value) rows holding at least the attribute's (attributeRows in
-- features_attribute_source.go: only its column of leads is read, where
-- the view lead_attributes unpivots every attribute column).
WITH a AS (
    SELECT lead_id, min(value) AS value
    FROM /*ATTRIBUTES*/
    WHERE name = $1
    GROUP BY lead_id
)
SELECT coalesce(a.value, '') AS value, f.max_idx, f.max_idx_w, f.immature, f.open, count(*) AS leads
FROM fl_lead f
LEFT JOIN a USING (lead_id)
WHERE f.included
GROUP BY ALL
ORDER BY ALL
