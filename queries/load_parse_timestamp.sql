-- name: ParseTimestamp
-- Parameters: $1 a text value as it would appear in an input file.
-- Purpose: the value parsed exactly as the loader parses a timestamp column
-- (funnel_ts of the trimmed text), NULL when it is not accepted.
SELECT funnel_ts(funnel_text(?::VARCHAR))
