-- name: FeatureAttributes
-- Parameters:
--   $1 names VARCHAR[]  attribute names (case-insensitive) to return
-- Purpose: the profile attribute values of every lead for the chosen
-- attributes, one row per lead and attribute; a lead without a value for an
-- attribute has no row. lead_idx is the lead's 0-based position in
-- FeatureLeads' order (created_at, lead_id); names come back lower-case.
WITH ranked AS (
    SELECT lead_id, row_number() OVER (ORDER BY created_at, lead_id) - 1 AS lead_idx
    FROM leads
)
SELECT r.lead_idx, lower(a.name) AS name, a.value
FROM lead_attributes a
JOIN ranked r USING (lead_id)
WHERE list_contains($1::VARCHAR[], lower(a.name)) AND a.value IS NOT NULL
