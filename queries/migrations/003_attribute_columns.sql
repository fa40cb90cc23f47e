-- name: 003_attribute_columns
-- Purpose: store each lead's profile attributes as columns of leads, one
-- per attribute name ("attr:" and the name), instead of one row of
-- lead_attributes per lead and attribute; lead_attributes becomes a view
-- that gives the same (lead_id, name, value) rows, one per lead and
-- attribute whose value is not NULL. Writing 35M attribute rows took
-- 11.5-14.5 s of a 100M-event load; as columns the same values are
-- written with the lead (see bench/README.md). A load adds the columns
-- of the attribute names it brings (ALTER TABLE leads ADD COLUMN).
-- The stored rows move into the columns: leads keep their order, and a
-- lead with two values for one name (possible only in the table: names
-- differing in case) keeps the smallest, as the readers did. Column
-- names are case-insensitive in DuckDB, so names differing only in case
-- share the column of the smallest of them.
CREATE TABLE leads_with_attributes AS
SELECT l.* EXCLUDE (_row), p.* EXCLUDE (lead_id)
FROM (SELECT rowid AS _row, * FROM leads) AS l
LEFT JOIN (
    PIVOT (
        SELECT lead_id, 'attr:' || min(name) OVER (PARTITION BY lower(name)) AS name, value
        FROM lead_attributes
        WHERE value IS NOT NULL
    ) ON name USING min(value) GROUP BY lead_id
) AS p USING (lead_id)
ORDER BY l._row;
DROP TABLE lead_attributes;
DROP TABLE leads;
ALTER TABLE leads_with_attributes RENAME TO leads;
ALTER TABLE leads ALTER COLUMN lead_id SET NOT NULL;
ALTER TABLE leads ALTER COLUMN channel SET NOT NULL;
-- "attr:" (NULL in every row) gives the UNPIVOT a column when no
-- attribute has been loaded yet; UNPIVOT leaves NULL values out. The
-- view is bound when it is read, so it sees the columns added since.
CREATE VIEW lead_attributes AS
SELECT lead_id, name[6:] AS name, value
FROM (SELECT lead_id, COLUMNS('^attr:') FROM (SELECT *, NULL::VARCHAR AS "attr:" FROM leads))
UNPIVOT (value FOR name IN (COLUMNS(* EXCLUDE (lead_id))));
