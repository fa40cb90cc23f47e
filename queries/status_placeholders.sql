-- name: StatusPlaceholders
-- Parameters: $1 VARCHAR[] the placeholder values, lower case
-- (PlaceholderValues in load_placeholders.go).
-- Purpose: values that stand for a field nobody filled in ("Select", "-",
-- "n/a", …) as stored, per column (channel, or an attribute's name), with
-- the number of leads having each, most frequent first.
SELECT "column", value, leads
FROM (
    SELECT 'channel' AS "column", channel AS value, count(*) AS leads
    FROM leads
    WHERE list_contains($1::VARCHAR[], lower(trim(channel)))
    GROUP BY ALL
    UNION ALL
    SELECT name, value, count(*)
    FROM lead_attributes
    WHERE list_contains($1::VARCHAR[], lower(trim(value)))
    GROUP BY ALL
)
ORDER BY "column", leads DESC, value
