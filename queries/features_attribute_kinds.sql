-- name: AttributeKinds
-- Parameters:
--   $1 names    VARCHAR[]  attribute names (case-insensitive) to classify
--   $2 no_value VARCHAR    the stored value of an empty field (NoValue), not
--                          counted as filled
-- Purpose: whether each chosen attribute column holds numbers, one row per
-- attribute name (lower-case) that has at least one row:
--   filled       = values that are not empty after trimming;
--   numbers      = of those, values that TRY_CAST to a finite DOUBLE;
--   text_example = the smallest filled value that is not a number (NULL
--                  when every filled value is one), for the note that says
--                  why a numeric-looking column stays categorical.
-- A column is numeric when numbers = filled > 0. "inf" and "nan" cast to
-- non-finite doubles and count as text.
-- /*ATTRIBUTES*/ is replaced by a relation of (lead_row, lead_id, name,
-- value) rows holding at least the chosen attributes (Store.attributeRows).
WITH cells AS (
    SELECT lower(a.name) AS name,
           trim(a.value) AS value,
           TRY_CAST(trim(a.value) AS DOUBLE) AS number
    FROM /*ATTRIBUTES*/ a
    WHERE list_contains($1::VARCHAR[], lower(a.name)) AND a.value IS NOT NULL AND trim(a.value) <> ''
      AND a.value <> $2::VARCHAR
)
SELECT name,
       count(*) AS filled,
       count(*) FILTER (WHERE isfinite(number)) AS numbers,
       min(value) FILTER (WHERE number IS NULL OR NOT isfinite(number)) AS text_example
FROM cells
GROUP BY name
ORDER BY name
