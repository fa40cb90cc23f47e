-- name: FeatureAttributes
-- Parameters:
--   $1 names VARCHAR[]  attribute names (case-insensitive) to return
-- Purpose: the profile attribute values of every lead for the chosen
-- attributes, one row per lead and attribute; a lead without a value for an
-- attribute has no row. Names come back lower-case.
SELECT lead_id, lower(name) AS name, value
FROM lead_attributes
WHERE list_contains($1::VARCHAR[], lower(name)) AND value IS NOT NULL
