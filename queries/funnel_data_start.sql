-- name: FunnelDataStart
-- Parameters: none
-- Purpose: the start of the data, the earliest lead creation (NULL when there
-- is no lead). A calendar month that begins before it is only partly covered:
-- the funnel report marks it partial.
SELECT min(created_at) AS data_start FROM leads
