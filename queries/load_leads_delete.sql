-- name: LoadLeadsDelete
-- Purpose: remove the stored rows of leads that load_leads_write replaces.
DELETE FROM leads WHERE lead_id IN (SELECT lead_id FROM load_leads_write WHERE NOT is_new)
