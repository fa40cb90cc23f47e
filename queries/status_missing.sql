-- name: StatusMissing
-- Parameters: $1 the stored channel of an empty source (NoChannel), $2 the
-- stored value of an empty attribute (NoValue).
-- Purpose: per column (channel, or an attribute's name), the leads whose
-- field was empty, each kept as a group of its own.
SELECT "column", leads
FROM (
    SELECT 'channel' AS "column", count(*) AS leads FROM leads WHERE channel = $1
    UNION ALL
    SELECT name, count(*) FROM lead_attributes WHERE value = $2 GROUP BY name
)
WHERE leads > 0
ORDER BY "column"
