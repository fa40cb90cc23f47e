-- name: FeatureEventSpan
-- Purpose: one past the largest rowid of events (0 when empty): the rowids
-- FeatureActionRows reads chunk by chunk lie below it.
SELECT coalesce(max(rowid) + 1, 0) FROM events
