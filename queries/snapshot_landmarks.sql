-- name: LandmarkSnapshots (CTE fragment after snapshot_bounds.sql)
-- Parameters:
--   $1 landmark_days DOUBLE[]  lead ages in days, ascending (e.g. [1,3,7,14,30])
-- Defines snapshots(lead_id, lead_row, created_at, channel, seq, landmark, at,
-- handed = false):
-- one row per lead and landmark age ℓ = $1[landmark+1] at which the lead was
-- still in marketing's hands and the moment was inside the data:
--   at = created_at + ℓ, at <= data_end, and handed_at (see snapshot_bounds)
--   is NULL or >= at.
-- Features of a snapshot use only events strictly before `at`, and decay
-- ages are measured from `at`: the moment is fixed by the lead's age, never
-- by its outcome. A lead's snapshots are a prefix of the landmarks (once
-- handed over or past the data end, every later landmark is too), so seq,
-- the snapshot's position among its lead's snapshots, equals landmark.
-- lead_row is the lead's rowid in leads.
-- An undated lead (created_at NULL) has no age: it gets one snapshot, at the
-- first landmark, with at NULL, so no event counts for it (no event is known
-- to come before an unknown moment) and its features are its channel and
-- attributes only.
marks AS (
    SELECT (i - 1)::INTEGER AS landmark,
           to_microseconds(CAST(round(($1::DOUBLE[])[i] * 86400000000) AS BIGINT)) AS span
    FROM range(1, len($1::DOUBLE[]) + 1) AS r(i)
),
snapshots AS (
    SELECT l.lead_id,
           l.rowid AS lead_row,
           l.created_at,
           l.channel,
           m.landmark AS seq,
           m.landmark,
           l.created_at + m.span AS at,
           false AS handed
    FROM leads l
    CROSS JOIN marks m
    CROSS JOIN bounds b
    LEFT JOIN handed h USING (lead_id)
    WHERE (l.created_at + m.span <= b.data_end
           AND (h.handed_at IS NULL OR h.handed_at > l.created_at + m.span))
       OR (l.created_at IS NULL AND m.landmark = 0)
)
