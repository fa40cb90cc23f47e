-- name: FunnelDataEnd
-- Parameters: none
-- Purpose: the end of the data, the latest timestamp anywhere in leads,
-- events, stages and outcomes (NULL when all are empty). It is "now" for
-- cohort maturity.
SELECT greatest(
    (SELECT max(created_at) FROM leads),
    (SELECT max(occurred_at) FROM events),
    (SELECT max(entered_at) FROM stages),
    (SELECT max(closed_at) FROM outcomes)) AS data_end
