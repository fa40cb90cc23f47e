-- name: FunnelLeadActionsOnePass
-- Parameters:
--   $1 actions  VARCHAR[]  tracked action names; bit i is action $1[i+1]
--   $2 landmark INTEGER    the landmark age in days
-- Purpose: temp table fl_act, the one pass over events: one row per lead
-- with events (lead_no from fl_lead) and one row with lead_no NULL for all
-- orphan events (lead_id not in leads), with
--   events           the number of events;
--   before_creation  events dated before the lead was created;
--   mask             bit i set when the lead did action i strictly before
--                    its landmark, created_at + $2 days (whatever its stage
--                    then); NULL when none.
-- The cut-off is the same age for every lead, so it cannot depend on the
-- outcome (a cut-off at first qualification would give winners, who
-- qualify sooner, shorter windows).
-- The bit comes from list_position, which DuckDB evaluates once per distinct
-- value of the dictionary-compressed action column; an action not in $1
-- gives NULL, which bit_or skips. One pass joined to fl_lead measured
-- 5.0–6.8 s on 97M generated events against 8.6 s for the two passes of
-- funnel_lead_events.sql and funnel_lead_actions.sql, which give the same
-- table. It needs every lead's hash table and group at once: under a tight
-- memory limit (60 MB for 200k leads, TestBigInputSpills) it can run out of
-- memory, and BuildLeadActions falls back to the two passes. Needs fl_lead.
CREATE OR REPLACE TEMP TABLE fl_act AS
SELECT f.lead_no,
       count(*) AS events,
       count(*) FILTER (WHERE e.occurred_at < f.created_at) AS before_creation,
       bit_or(1::UBIGINT << (list_position($1::VARCHAR[], e.action) - 1)::UBIGINT) FILTER (
           WHERE e.occurred_at < f.landmark_at) AS mask
FROM events e
LEFT JOIN (SELECT lead_id, lead_no, created_at, created_at + to_days($2::INTEGER) AS landmark_at FROM fl_lead) f USING (lead_id)
GROUP BY f.lead_no
