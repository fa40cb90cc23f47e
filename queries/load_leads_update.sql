-- name: LoadLeadsUpdate
-- Purpose: write, into the stored leads that load_leads_write replaces,
-- their created_at, channel and the attributes the file has, from
-- load_leads; the attributes the file does not have are kept. An
-- attribute the file leaves empty (NULL) is removed.
-- /*SET*/ is replaced by `, "attr:<name>" = n."<name>"` for each attribute
-- column of the file, or by nothing.
UPDATE leads
SET created_at = n.created_at, channel = n.channel/*SET*/
FROM load_leads AS n
WHERE leads.lead_id = n.lead_id
  AND n.lead_id IN (SELECT lead_id FROM load_leads_write WHERE NOT is_new)
