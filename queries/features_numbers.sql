-- name: FeatureNumbers
-- Parameters:
--   $1 names VARCHAR[]  attribute names (case-insensitive) to read as numbers
--   $2 sample_every BIGINT  only leads whose rowid is a multiple of it (1:
--                       every lead; see FeatureParams.SampleEvery)
-- Purpose: the numeric value of every lead's chosen attributes, one row per
-- lead and attribute whose trimmed value TRY_CASTs to a finite DOUBLE (the
-- same test as AttributeKinds); an empty, text, absent or NoValue
-- ("(missing)", which does not cast) value has no row
-- and is missing. lead_row is the lead's rowid in leads, as FeatureSnapshots
-- returns it; names come back lower-case.
-- /*ATTRIBUTES*/ is replaced by a relation of (lead_row, lead_id, name,
-- value) rows holding at least the chosen attributes (Store.attributeRows).
SELECT a.lead_row, lower(a.name) AS name, TRY_CAST(trim(a.value) AS DOUBLE) AS number
FROM /*ATTRIBUTES*/ a
WHERE list_contains($1::VARCHAR[], lower(a.name))
  AND isfinite(TRY_CAST(trim(a.value) AS DOUBLE))
  AND a.lead_row % $2::BIGINT = 0
