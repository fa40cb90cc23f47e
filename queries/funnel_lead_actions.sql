-- name: FunnelLeadActions
-- Parameters:
--   $1 actions VARCHAR[]  tracked action names; bit i of mask is action $1[i+1]
-- Purpose: temp table fl_act, the one pass over events: one row per known
-- lead with events (lead_no) plus one row with lead_no NULL for all orphan
-- events (lead_id not in leads), with
--   events           number of events;
--   before_creation  events dated before the lead was created;
--   mask             bit i set when the lead did action i strictly before it
--                    first reached the qualified stage (any time if it never
--                    did); NULL when none.
-- The action's bit comes from list_position, not a join: DuckDB evaluates
-- it once per distinct value of a dictionary-compressed column, about 6×
-- cheaper than probing a hash table with every event. An action not in $1
-- gives NULL, which bit_or skips. Needs fl_lead.
CREATE OR REPLACE TEMP TABLE fl_act AS
SELECT f.lead_no,
       count(*) AS events,
       count(*) FILTER (WHERE e.occurred_at < f.created_at) AS before_creation,
       bit_or(1::UBIGINT << (list_position($1::VARCHAR[], e.action) - 1)::UBIGINT) FILTER (
           WHERE f.qualified_at IS NULL OR e.occurred_at < f.qualified_at) AS mask
FROM events e
LEFT JOIN fl_lead f ON f.lead_id = e.lead_id
GROUP BY f.lead_no
