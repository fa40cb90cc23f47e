-- name: FunnelOtherStages
-- Parameters:
--   $1 known VARCHAR[]  funnel and recycle stage names, lower case
-- Purpose: stage rows whose (lower-case) name is neither a funnel nor a
-- recycle stage, counted by name, over the whole store.
SELECT lower(stage) AS stage, count(*) AS rows
FROM stages
WHERE NOT list_contains($1::VARCHAR[], lower(stage))
GROUP BY ALL
ORDER BY stage
