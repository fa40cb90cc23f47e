-- name: FeatureAttributes
-- Parameters:
--   $1 names VARCHAR[]  attribute names (case-insensitive) to return
--   $2 sample_every BIGINT  only leads whose rowid is a multiple of it (1:
--                       every lead; see FeatureParams.SampleEvery)
-- Purpose: the profile attribute values of every lead for the chosen
-- attributes, one row per lead and attribute; a lead without a value for an
-- attribute has no row. lead_row is the lead's rowid in leads, as
-- FeatureLeads returns it; names come back lower-case.
-- /*ATTRIBUTES*/ is replaced by a relation of (lead_row, lead_id, name,
-- value) rows holding at least the chosen attributes (Store.attributeRows).
SELECT a.lead_row, lower(a.name) AS name, a.value
FROM /*ATTRIBUTES*/ a
WHERE list_contains($1::VARCHAR[], lower(a.name)) AND a.value IS NOT NULL
  AND a.lead_row % $2::BIGINT = 0
