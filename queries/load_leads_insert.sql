-- name: LoadLeadsInsert
-- Purpose: add the new leads of load_leads_write (is_new) from load_leads,
-- with the attributes the file has.
-- /*ATTRS*/ is replaced by `, n."<name>" AS "attr:<name>"` for each
-- attribute column of the file, or by nothing.
INSERT INTO leads BY NAME
SELECT n.lead_id, n.created_at, n.channel/*ATTRS*/
FROM load_leads AS n
WHERE n.lead_id IN (SELECT lead_id FROM load_leads_write WHERE is_new)
