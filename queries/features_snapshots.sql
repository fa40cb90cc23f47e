-- name: FeatureSnapshots
-- Parameters:
--   $1, $2         the snapshot set's (see /*SNAPSHOTS*/: snapshot_bounds.sql
--                  with snapshot_landmarks.sql or snapshot_as_of.sql)
--   $3 horizon_days  DOUBLE     outcome window after creation, in days
--   $4 target_stages VARCHAR[]  lower-case stage names that count as reaching SQL
--   $5 mql_stages    VARCHAR[]  lower-case stage names of marketing's hand-over (mql)
-- /*TARGET*/ is replaced by the CTE of the target: won (closed-won outcome)
-- or reached_sql (entry into a stage of $4, or a won outcome). Choosing it in
-- the text rather than by a parameter keeps DuckDB from aggregating the
-- stages for an unused target.
-- Purpose: one row per lead with snapshots (a snapshot is the lead seen at
-- one moment), its snapshots described by
--   marks    = the number of its landmark snapshots, at landmarks 0..marks−1
--              (NULL for an as-of snapshot, of which a lead has one);
--   at       = the moment of its last (or only) snapshot;
-- and, alike for all of them,
--   label    = the target happened within horizon days of created_at;
--   mature   = the outcome window has closed: created_at + horizon <= data_end.
--              A lead whose window is still open is immature even when it has
--              already reached the target (censoring);
--   handed   = the lead was in a sales stage or closed before `at` (always
--              false for landmark snapshots, which exist only before that);
--   qualified = the lead entered a stage of $5 at any time (today's MQLs);
--   for an undated lead (created_at NULL: no horizon can be measured)
--   label = the lead reached the target at all, and mature = it has an
--   outcome (won or lost); without one it is open and left out. An outcome
--   without a date (outcomes.closed_at NULL, from a leads file's outcome
--   column) is known and final: a dated lead with one is mature, and
--   reached the target when its only target is such an outcome;
--   data_end = the latest timestamp anywhere in leads, events, stages, outcomes.
-- Rows come in no particular order: FeatureSnapshots puts them in
-- created_at order (undated leads last), then lead_id (the out-of-time
-- order). Leads are mostly stored in that order already, which Go checks
-- in one pass, while DuckDB's ORDER BY took 1.3 s of a 3.5 s query at 5M
-- leads. One row per lead rather than per snapshot spares the transfer of
-- up to as many copies of each lead id as there are landmarks; the caller
-- expands the landmark moments (created_at + ℓ) itself.
WITH /*SNAPSHOTS*/,
params AS (
    SELECT to_microseconds(CAST(round($3::DOUBLE * 86400000000) AS BIGINT)) AS horizon
),
won AS (
    SELECT lead_id, min(closed_at) AS target_at
    FROM outcomes
    WHERE lower(outcome) = 'won'
    GROUP BY lead_id
),
reached_sql AS (
    SELECT lead_id, min(reached_at) AS target_at
    FROM (
        SELECT lead_id, entered_at AS reached_at FROM stages WHERE list_contains($4::VARCHAR[], lower(stage))
        UNION ALL
        SELECT lead_id, target_at AS reached_at FROM won
    )
    GROUP BY lead_id
),
target AS (
    SELECT lead_id, target_at, true AS reached FROM /*TARGET*/
),
closed AS (
    SELECT lead_id, true AS closed, bool_or(closed_at IS NULL) AS undated_outcome
    FROM outcomes
    GROUP BY lead_id
),
qualified AS (
    SELECT DISTINCT lead_id FROM stages WHERE list_contains($5::VARCHAR[], lower(stage))
)
SELECT s.lead_id,
       s.created_at,
       s.channel,
       s.marks,
       s.at,
       CASE WHEN s.created_at IS NULL OR (t.reached AND t.target_at IS NULL) THEN coalesce(t.reached, false)
            ELSE coalesce(t.target_at <= s.created_at + p.horizon, false) END AS label,
       CASE WHEN s.created_at IS NULL THEN coalesce(c.closed, false)
            ELSE s.created_at + p.horizon <= b.data_end OR coalesce(c.undated_outcome, false) END AS mature,
       s.handed,
       q.lead_id IS NOT NULL AS qualified,
       b.data_end,
       s.lead_row
FROM snapshot_leads s
CROSS JOIN bounds b
CROSS JOIN params p
LEFT JOIN target t USING (lead_id)
LEFT JOIN closed c USING (lead_id)
LEFT JOIN qualified q USING (lead_id)
