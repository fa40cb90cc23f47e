-- name: StatusCounts
-- Purpose: rows held per table: leads, events, stages, outcomes, and lead
-- attributes.
SELECT (SELECT count(*) FROM leads),
       (SELECT count(*) FROM events),
       (SELECT count(*) FROM stages),
       (SELECT count(*) FROM outcomes),
       (SELECT count(*) FROM lead_attributes)
