-- name: AsOfSnapshots (CTE fragment after snapshot_bounds.sql)
-- Parameters:
--   $1 as_of TIMESTAMP  the scoring moment; NULL means just after the end of
--                       the data (data_end + 1 µs, so the last events count)
-- Defines, with the columns of snapshot_landmarks.sql:
--   as_of_leads(lead_id, lead_row, created_at, channel, at)
--   snapshot_leads(lead_id, lead_row, created_at, channel, marks, at, handed)
--   snapshots(lead_id, lead_row, created_at, channel, seq, landmark, at, handed)
-- one row per lead created at or before the moment, at = the moment,
-- marks NULL, seq = 0, landmark NULL (the caller picks the landmark from the
-- lead's age), handed = the lead had entered a sales stage or closed before
-- the moment (see snapshot_bounds), so it is no MQL candidate. An undated
-- lead (created_at NULL) is scored too, with at NULL: as in its landmark
-- snapshot (snapshot_landmarks.sql), no event counts for it. as_of_leads
-- are the same leads without handed: a scan of leads alone, whose rows
-- DuckDB returns in the order they are stored (the join with handed does
-- not keep that order).
moment AS (
    SELECT coalesce($1::TIMESTAMP, b.data_end + INTERVAL 1 MICROSECOND) AS at
    FROM bounds b
),
as_of_leads AS (
    SELECT l.lead_id,
           l.rowid AS lead_row,
           l.created_at,
           l.channel,
           CASE WHEN l.created_at IS NOT NULL THEN m.at END AS at
    FROM leads l
    CROSS JOIN moment m
    WHERE l.created_at <= m.at OR l.created_at IS NULL
),
snapshot_leads AS (
    SELECT a.lead_id,
           a.lead_row,
           a.created_at,
           a.channel,
           NULL::INTEGER AS marks,
           a.at,
           coalesce(h.handed_at < m.at, false) AS handed
    FROM as_of_leads a
    CROSS JOIN moment m
    LEFT JOIN handed h USING (lead_id)
),
snapshots AS (
    SELECT sl.lead_id, sl.lead_row, sl.created_at, sl.channel, 0 AS seq, NULL::INTEGER AS landmark, sl.at, sl.handed
    FROM snapshot_leads sl
)
