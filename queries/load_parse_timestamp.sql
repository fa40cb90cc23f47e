-- name: ParseTimestamp
-- Parameters: $1 a text value as it would appear in an input file.
-- Purpose: the value parsed exactly as the loader parses a timestamp column
-- (funnel_ts of the trimmed text), NULL when it is not accepted.
SELECT funnel_ts(x, TRY_CAST(x AS TIMESTAMP))
FROM (SELECT funnel_text(?::VARCHAR) AS x)
