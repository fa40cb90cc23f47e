-- name: FunnelLeadActions
-- Parameters:
--   $1 actions VARCHAR[]  tracked action names; bit i of mask is action $1[i+1]
-- Purpose: temp table fl_act, the one pass over events: one row per lead_id
-- found in events with
--   known            the lead is in fl_lead (false: orphan events);
--   events           its number of events;
--   before_creation  events dated before the lead was created;
--   mask             bit i set when the lead did action i strictly before it
--                    first reached the qualified stage (any time if it never
--                    did); NULL when none.
-- Needs fl_lead.
CREATE OR REPLACE TEMP TABLE fl_act AS
WITH a AS (
    SELECT unnest($1::VARCHAR[]) AS action,
           generate_subscripts($1::VARCHAR[], 1) - 1 AS bit
)
SELECT e.lead_id,
       bool_or(f.lead_id IS NOT NULL) AS known,
       count(*) AS events,
       count(*) FILTER (WHERE e.occurred_at < f.created_at) AS before_creation,
       bit_or(1::UBIGINT << a.bit::UBIGINT) FILTER (
           WHERE f.lead_id IS NOT NULL
             AND (f.qualified_at IS NULL OR e.occurred_at < f.qualified_at)) AS mask
FROM events e
LEFT JOIN a ON a.action = e.action
LEFT JOIN fl_lead f ON f.lead_id = e.lead_id
GROUP BY e.lead_id
