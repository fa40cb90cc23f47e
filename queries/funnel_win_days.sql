-- name: FunnelWinDays
-- Parameters:
--   $1 last_idx INTEGER  index of the last funnel stage (won) in fl_stage_first
-- Purpose: the 90th percentile (quantile_cont, linear interpolation) of days
-- from a lead's creation to its first win, over leads that won not before
-- they were created, and how many such leads there are. Needs fl_stage_first.
SELECT quantile_cont(date_diff('second', l.created_at, s.first_at) / 86400.0, 0.9) AS p90_days,
       count(*) AS won_leads
FROM fl_stage_first s
JOIN (SELECT lead_id, min(created_at) AS created_at FROM leads GROUP BY lead_id) l USING (lead_id)
WHERE s.idx = $1
  AND s.first_at >= l.created_at
