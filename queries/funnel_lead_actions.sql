-- name: FunnelLeadActions
-- Parameters:
--   $1 actions  VARCHAR[]  tracked action names, as for FunnelLeadEvents
--   $2 landmark INTEGER    the landmark age in days
-- Purpose: temp table fl_act: one row per lead_id in events with
--   lead_no          the lead (NULL: orphan events, lead_id not in leads);
--   events           its number of events;
--   before_creation  events dated before the lead was created;
--   mask             bit i set when the lead did action i strictly before
--                    its landmark, created_at + $2 days; NULL when none.
-- Most leads are settled from fl_ev alone: last event before the landmark
-- → mask_all; first event at or after it → none. Only leads whose events
-- straddle their landmark, or that have events before their creation, are
-- settled event by event: the second (and last) pass over events, which
-- probes a hash table of just those leads. Needs fl_lead and fl_ev.
CREATE OR REPLACE TEMP TABLE fl_act AS
WITH j AS (
    SELECT f.lead_no, f.created_at, f.created_at + to_days($2::INTEGER) AS landmark_at,
           v.lead_id, v.events, v.first_ts, v.last_ts, v.mask_all
    FROM fl_ev v
    LEFT JOIN fl_lead f USING (lead_id)
),
mixed AS (
    SELECT lead_id, lead_no, created_at, landmark_at
    FROM j
    WHERE lead_no IS NOT NULL
      AND ((first_ts < landmark_at AND last_ts >= landmark_at) OR first_ts < created_at)
),
exact AS (
    SELECT m.lead_no,
           count(*) FILTER (WHERE e.occurred_at < m.created_at) AS before_creation,
           bit_or(1::UBIGINT << (list_position($1::VARCHAR[], e.action) - 1)::UBIGINT) FILTER (
               WHERE e.occurred_at < m.landmark_at) AS mask
    FROM events e
    JOIN mixed m USING (lead_id)
    GROUP BY m.lead_no
)
SELECT j.lead_no,
       j.events,
       coalesce(x.before_creation, 0) AS before_creation,
       CASE
           WHEN x.lead_no IS NOT NULL THEN x.mask
           WHEN j.last_ts < j.landmark_at THEN j.mask_all
       END AS mask
FROM j
LEFT JOIN exact x USING (lead_no)
