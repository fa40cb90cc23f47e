-- name: FunnelEventQuality
-- Parameters: none
-- Purpose: orphan events (lead_id not in leads) and events dated before their
-- lead's creation, over the whole store, from fl_act (no new pass over
-- events). Needs fl_act.
SELECT coalesce(sum(events) FILTER (WHERE lead_no IS NULL), 0)::BIGINT AS orphan_events,
       coalesce(sum(before_creation), 0)::BIGINT AS events_before_creation
FROM fl_act
