-- name: FunnelLeadEvents
-- Parameters:
--   $1 actions VARCHAR[]  tracked action names; bit i is action $1[i+1]
-- Purpose: temp table fl_ev, the first pass over events, grouped by lead_id
-- (known or orphan) with no join: number of events, first and last event
-- time, and mask_all, bit i set when the lead ever did action i. The bit
-- comes from list_position, which DuckDB evaluates once per distinct value
-- of the dictionary-compressed action column; an action not in $1 gives
-- NULL, which bit_or skips.
CREATE OR REPLACE TEMP TABLE fl_ev AS
SELECT lead_id,
       count(*) AS events,
       min(occurred_at) AS first_ts,
       max(occurred_at) AS last_ts,
       bit_or(1::UBIGINT << (list_position($1::VARCHAR[], action) - 1)::UBIGINT) AS mask_all
FROM events
GROUP BY lead_id
