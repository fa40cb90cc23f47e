-- name: LoadLeadsInsertAttrs
-- Purpose: write the non-empty attributes of the leads of load_leads_write.
INSERT INTO lead_attributes
SELECT n.lead_id, n.name, n.value
FROM load_attrs AS n SEMI JOIN load_leads_write AS w ON w.lead_id = n.lead_id
WHERE n.value IS NOT NULL
