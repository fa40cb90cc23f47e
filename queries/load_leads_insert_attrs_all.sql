-- name: LoadLeadsInsertAttrsAll
-- Purpose: write the non-empty attributes of every lead of load_leads, one
-- (lead_id, name, value) row per lead and attribute column of the file,
-- when the workspace holds no leads yet (load_leads_first.sql). UNPIVOT
-- without INCLUDE NULLS leaves out the empty fields, as
-- load_leads_insert_attrs.sql does. Run only when the file has attribute
-- columns.
INSERT INTO lead_attributes
SELECT lead_id, name, value
FROM (SELECT * EXCLUDE (created_at, channel) FROM load_leads)
UNPIVOT (value FOR name IN (COLUMNS(* EXCLUDE (lead_id))))
