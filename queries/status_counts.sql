-- name: StatusCounts
-- Purpose: rows held per table: leads, events, stages, outcomes, and lead
-- attributes, and the leads without created_at (undated).
SELECT (SELECT count(*) FROM leads),
       (SELECT count(*) FROM events),
       (SELECT count(*) FROM stages),
       (SELECT count(*) FROM outcomes),
       (SELECT count(*) FROM lead_attributes),
       (SELECT count(*) FROM leads WHERE created_at IS NULL)
