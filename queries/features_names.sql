-- name: FeatureNames
-- Parameters: none.
-- Purpose: the names a scoring model may refer to, one row per kind and name:
-- kind 'action' (distinct events.action), 'channel' (distinct leads.channel,
-- an empty or missing one as '')
-- and 'attribute' (distinct lower-case lead_attributes.name).
-- /*ATTRIBUTE_NAMES*/ is replaced by a relation of the attribute names
-- that have a value (Store.attributeNames).
SELECT 'action' AS kind, action AS name FROM events GROUP BY action
UNION ALL
SELECT 'channel' AS kind, coalesce(channel, '') AS name FROM leads GROUP BY coalesce(channel, '')
UNION ALL
SELECT 'attribute' AS kind, lower(name) AS name FROM /*ATTRIBUTE_NAMES*/ AS a GROUP BY lower(name)
ORDER BY kind, name
