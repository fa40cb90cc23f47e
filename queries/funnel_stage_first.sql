-- name: FunnelStageFirst
-- Parameters: none
-- Purpose: temp table fl_first(lead_no, idx, first_at): for every lead and
-- funnel stage after the first that it entered explicitly (a stage row, or a
-- won outcome for the last stage), its first entry. Needs fl_entry.
CREATE OR REPLACE TEMP TABLE fl_first AS
SELECT lead_no, idx, min(ts) AS first_at
FROM fl_entry
WHERE idx >= 1
GROUP BY lead_no, idx
