-- name: SnapshotBounds (CTE fragment, spliced into the feature and score
-- queries in place of /*SNAPSHOTS*/ together with one of snapshot_landmarks.sql
-- or snapshot_as_of.sql; not a statement of its own)
-- Parameters:
--   $2 sales_stages VARCHAR[]  lower-case stage names owned by sales
-- Defines
--   bounds(data_end): the latest timestamp anywhere in leads, events, stages
--                     and outcomes;
--   handed(lead_id, handed_at): the moment a lead left marketing's hands:
--                     its first entry into a sales-owned stage or its first
--                     outcome (won or lost), whichever came first.
-- This is the one definition of "what was known when": a lead is scored,
-- and its features counted, only at moments before handed_at.
bounds AS (
    SELECT greatest(
        (SELECT max(created_at) FROM leads),
        (SELECT max(occurred_at) FROM events),
        (SELECT max(entered_at) FROM stages),
        (SELECT max(closed_at) FROM outcomes)) AS data_end
),
handed AS (
    SELECT lead_id, min(t) AS handed_at
    FROM (
        SELECT lead_id, entered_at AS t FROM stages WHERE list_contains($2::VARCHAR[], lower(stage))
        UNION ALL
        SELECT lead_id, closed_at AS t FROM outcomes
    )
    GROUP BY lead_id
)
