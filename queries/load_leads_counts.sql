-- name: LoadLeadsCounts
-- Purpose: how many leads load_leads_write adds and how many it updates.
SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM load_leads_write
