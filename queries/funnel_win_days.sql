-- name: FunnelWinDays
-- Parameters:
--   $1 last_idx INTEGER  index of the last funnel stage (won)
-- Purpose: the 90th percentile (quantile_cont, linear interpolation) of days
-- from a lead's creation to its first win, over leads that won not before
-- they were created, and how many such leads there are. Needs fl_first and
-- fl_base.
SELECT quantile_cont(date_diff('second', b.created_at, f.first_at) / 86400.0, 0.9) AS p90_days,
       count(*) AS won_leads
FROM fl_first f
JOIN fl_base b USING (lead_no)
WHERE f.idx = $1::INTEGER
  AND f.first_at >= b.created_at
