-- name: LoadLeadsWrite
-- Purpose: the leads of load_leads to write: new ones (is_new) and stored
-- ones whose created_at, channel, or any attribute named in the file
-- differs from what is stored. A stored lead identical in all of these is a
-- duplicate and not written.
CREATE OR REPLACE TEMP TABLE load_leads_write AS
WITH stored_attrs AS (
    SELECT a.lead_id, a.name, a.value
    FROM lead_attributes AS a
    SEMI JOIN load_attrs AS n ON n.lead_id = a.lead_id AND n.name = a.name
), new_attrs AS (
    SELECT lead_id, name, value FROM load_attrs WHERE value IS NOT NULL
), changed AS (
    SELECT n.lead_id
    FROM load_leads AS n JOIN leads AS l ON l.lead_id = n.lead_id
    WHERE n.created_at <> l.created_at OR n.channel <> l.channel
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
