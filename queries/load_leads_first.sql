-- name: LoadLeadsFirst
-- Purpose: whether the workspace holds no leads yet (and so no attributes,
-- which are columns of leads), so a leads file's leads are all new and
-- load_leads_insert_all.sql writes them without comparing with stored rows
-- (load_leads_write.sql), most of a first load's work on leads; and so a
-- single leads file is checked and inserted in one pass
-- (load_insert_direct.sql; see takesDirect in load_direct.go).
SELECT NOT EXISTS (SELECT 1 FROM leads)
