-- name: LoadLeadsWrite
-- Purpose: the leads of load_leads to write: new ones (is_new) and stored
-- ones whose created_at, channel, or any attribute named in the file
-- differs from what is stored. A stored lead identical in all of these is a
-- duplicate and not written.
-- Only leads already stored need their attributes compared (a new lead is
-- written anyway), so both attribute sets are joined to the stored tables
-- with inner joins: the planner then builds its hash tables on the smaller
-- side, and a first load (nothing stored) skips the comparison of millions
-- of attribute rows. load_attrs has one row per (lead_id, name) and leads
-- one row per lead_id, so the inner joins keep each row at most once, like
-- the semi joins they replace.
CREATE OR REPLACE TEMP TABLE load_leads_write AS
WITH stored_attrs AS (
    SELECT a.lead_id, a.name, a.value
    FROM lead_attributes AS a
    JOIN load_attrs AS n ON n.lead_id = a.lead_id AND n.name = a.name
), new_attrs AS (
    SELECT n.lead_id, n.name, n.value
    FROM load_attrs AS n
    JOIN leads AS l ON l.lead_id = n.lead_id
    WHERE n.value IS NOT NULL
), changed AS (
    SELECT n.lead_id
    FROM load_leads AS n JOIN leads AS l ON l.lead_id = n.lead_id
    WHERE n.created_at IS DISTINCT FROM l.created_at OR n.channel <> l.channel
    UNION
    SELECT lead_id FROM (
        (SELECT * FROM new_attrs EXCEPT SELECT * FROM stored_attrs)
        UNION ALL
        (SELECT * FROM stored_attrs EXCEPT SELECT * FROM new_attrs)
    )
)
SELECT n.lead_id, l.lead_id IS NULL AS is_new
FROM load_leads AS n
LEFT JOIN leads AS l ON l.lead_id = n.lead_id
WHERE l.lead_id IS NULL OR n.lead_id IN (SELECT lead_id FROM changed)
