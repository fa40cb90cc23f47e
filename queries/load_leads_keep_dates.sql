-- name: LoadLeadsKeepDates
-- Parameters: none.
-- Purpose: a leads file without a created_at column (a flat export) says
-- nothing about dates: its leads already stored keep their created_at
-- instead of becoming undated. (An empty created_at in a file that has the
-- column does make the lead undated.)
UPDATE load_leads AS n
SET created_at = l.created_at
FROM leads AS l
WHERE l.lead_id = n.lead_id
