-- name: LoadLeadsInsertAll
-- Purpose: write every lead of load_leads (one row per lead_id) with the
-- attributes the file has, when the workspace holds no leads yet
-- (load_leads_first.sql).
-- /*ATTRS*/ is replaced by `, n."<name>" AS "attr:<name>"` for each
-- attribute column of the file, or by nothing.
INSERT INTO leads BY NAME
SELECT n.lead_id, n.created_at, n.channel/*ATTRS*/
FROM load_leads AS n
