-- name: FunnelBase
-- Parameters: none
-- Purpose: temp table fl_base(lead_no, lead_id, created_at, channel): one row
-- per lead of the leads table (a lead_id listed twice takes its earliest
-- row) with a dense integer key lead_no, so that every later join and
-- grouping is on an integer instead of the lead_id string.
CREATE OR REPLACE TEMP TABLE fl_base AS
SELECT (row_number() OVER ())::INTEGER AS lead_no, lead_id, created_at, channel
FROM (
    SELECT lead_id, min(created_at) AS created_at, arg_min(channel, created_at) AS channel
    FROM leads
    GROUP BY lead_id
)
