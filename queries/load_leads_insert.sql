-- name: LoadLeadsInsert
-- Purpose: write the leads of load_leads_write.
INSERT INTO leads
SELECT n.lead_id, n.created_at, n.channel
FROM load_leads AS n SEMI JOIN load_leads_write AS w ON w.lead_id = n.lead_id
