-- name: FunnelActionNames
-- Parameters: none
-- Purpose: every action name in events with its number of events, most
-- frequent first (ties by name).
SELECT action, count(*) AS events
FROM events
GROUP BY action
ORDER BY events DESC, action
