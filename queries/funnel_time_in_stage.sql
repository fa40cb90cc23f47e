-- name: FunnelTimeInStage
-- Parameters:
--   $1 from_idx INTEGER[]  start stage index of each span
--   $2 to_idx   INTEGER[]  end stage index of each span (same length)
-- Purpose: days from first explicit entry into the start stage to first
-- explicit entry into the end stage, over included leads with both entries
-- and the end not before the start: count, p25, median, p75, p90
-- (quantile_cont), per span overall (overall = true, channel NULL) and per
-- span and channel. Needs fl_first and fl_lead.
WITH spans AS (
    SELECT unnest($1::INTEGER[]) AS from_idx, unnest($2::INTEGER[]) AS to_idx
),
d AS (
    SELECT sp.from_idx, sp.to_idx, f.channel,
           date_diff('second', a.first_at, b.first_at) / 86400.0 AS days
    FROM spans sp
    JOIN fl_first a ON a.idx = sp.from_idx
    JOIN fl_first b ON b.lead_no = a.lead_no AND b.idx = sp.to_idx
    JOIN fl_lead f ON f.lead_no = a.lead_no
    WHERE f.included
      AND b.first_at >= a.first_at
),
q AS (
    SELECT from_idx, to_idx, channel, grouping(channel) = 1 AS overall,
           count(*) AS leads,
           quantile_cont(days, [0.25, 0.5, 0.75, 0.9]) AS qs
    FROM d
    GROUP BY GROUPING SETS ((from_idx, to_idx), (from_idx, to_idx, channel))
)
SELECT from_idx, to_idx, channel, overall, leads, qs[1] AS p25, qs[2] AS median, qs[3] AS p75, qs[4] AS p90
FROM q
ORDER BY overall DESC, channel, from_idx, to_idx
