-- name: LoadLeadsDeleteAttrs
-- Purpose: remove the stored attributes that the file names for the leads
-- load_leads_write replaces; attributes the file does not have are kept.
DELETE FROM lead_attributes AS a
WHERE a.lead_id IN (SELECT lead_id FROM load_leads_write)
  AND EXISTS (SELECT 1 FROM load_attrs AS n WHERE n.lead_id = a.lead_id AND n.name = a.name)
