-- name: LandmarkSnapshots (CTE fragment after snapshot_bounds.sql)
-- Parameters:
--   $1 landmark_days DOUBLE[]  lead ages in days, ascending (e.g. [1,3,7,14,30])
-- A lead has a snapshot at age ℓ = $1[k+1] when at that moment it was still
-- in marketing's hands and the moment was inside the data:
--   at_k = created_at + ℓ, at_k <= data_end, and handed_at (see
--   snapshot_bounds) is NULL or > at_k.
-- Both conditions only get harder as ℓ grows, so a lead's snapshots are a
-- prefix of the landmarks: the first `marks` of them. Features of a snapshot
-- use only events strictly before at_k, and decay ages are measured from it:
-- the moment is fixed by the lead's age, never by its outcome.
-- Defines
--   snapshot_leads(lead_id, lead_row, created_at, channel, marks, at, handed):
--     one row per lead with at least one snapshot; marks = its number of
--     snapshots, at = the moment of its last one, handed = false;
--   snapshots(lead_id, lead_row, created_at, channel, seq, landmark, at, handed):
--     one row per snapshot, seq = landmark = k.
-- lead_row is the lead's rowid in leads. /*SAMPLE_EVERY*/ is replaced by a
-- whole number k ≥ 1 (FeatureParams.SampleEvery): only leads whose rowid is
-- a multiple of k have snapshots, every k-th lead in load order (k = 1:
-- every lead). Every feature query of the set sees the same leads.
-- An undated lead (created_at NULL) has no age: it gets one snapshot, at the
-- first landmark, with at NULL, so no event counts for it (no event is known
-- to come before an unknown moment) and its features are its channel and
-- attributes only. Spans are whole microseconds,
-- round(ℓ × 86,400,000,000), the unit of TIMESTAMP, so a moment compares
-- exactly with an event's time.
spans AS (
    SELECT list(CAST(round(d * 86400000000) AS BIGINT) ORDER BY d) AS us
    FROM unnest($1::DOUBLE[]) AS t(d)
),
snapshot_limits AS (
    SELECT l.lead_id,
           l.rowid AS lead_row,
           l.created_at,
           l.channel,
           -- the latest age in µs a snapshot may have: inside the data and
           -- strictly before the hand-over
           least(date_diff('microsecond', l.created_at, b.data_end),
                 coalesce(date_diff('microsecond', l.created_at, h.handed_at) - 1, 9223372036854775807)) AS max_us
    FROM leads l
    CROSS JOIN bounds b
    LEFT JOIN handed h USING (lead_id)
    WHERE l.rowid % /*SAMPLE_EVERY*/ = 0
),
snapshot_leads AS (
    SELECT lead_id, lead_row, created_at, channel, marks,
           created_at + to_microseconds(us[marks]) AS at,
           false AS handed
    FROM (
        SELECT x.lead_id, x.lead_row, x.created_at, x.channel, s.us,
               CASE WHEN x.created_at IS NULL THEN 1
                    ELSE len(list_filter(s.us, u -> u <= x.max_us)) END::INTEGER AS marks
        FROM snapshot_limits x
        CROSS JOIN spans s
    )
    WHERE marks > 0
),
snapshots AS (
    SELECT sl.lead_id, sl.lead_row, sl.created_at, sl.channel,
           k AS seq, k AS landmark,
           sl.created_at + to_microseconds(s.us[k + 1]) AS at,
           false AS handed
    FROM snapshot_leads sl
    CROSS JOIN spans s
    CROSS JOIN LATERAL (SELECT unnest(range(sl.marks))::INTEGER AS k)
)
