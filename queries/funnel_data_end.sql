-- name: FunnelDataEnd
-- Parameters: none
-- Purpose: the end of the data, the latest timestamp anywhere in leads,
-- events, stages and outcomes. It is "now" for cohort maturity. A
-- workspace whose leads are all undated and that holds no other timestamp
-- (a flat export) ends when it was last loaded: the export states its
-- leads as of then. NULL when the workspace holds no lead and no timestamp.
SELECT coalesce(
    greatest(
        (SELECT max(created_at) FROM leads),
        (SELECT max(occurred_at) FROM events),
        (SELECT max(entered_at) FROM stages),
        (SELECT max(closed_at) FROM outcomes)),
    CASE WHEN (SELECT count(*) FROM leads) > 0 THEN (SELECT max(loaded_at) FROM loads) END) AS data_end
