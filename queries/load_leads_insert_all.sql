-- name: LoadLeadsInsertAll
-- Purpose: write every lead of load_leads (one row per lead_id), when the
-- workspace holds no leads yet (load_leads_first.sql).
INSERT INTO leads SELECT lead_id, created_at, channel FROM load_leads
