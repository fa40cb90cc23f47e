-- name: LoadLeadsAttrs
-- Purpose: the profile attributes of load_leads as (lead_id, name, value)
-- rows, one per lead and attribute column of the file; value NULL when the
-- lead's field is empty. Run only when the file has attribute columns.
CREATE OR REPLACE TEMP TABLE load_attrs AS
SELECT lead_id, name, value
FROM (SELECT * EXCLUDE (created_at, channel, _outcome) FROM load_leads)
UNPIVOT INCLUDE NULLS (value FOR name IN (COLUMNS(* EXCLUDE (lead_id))))
