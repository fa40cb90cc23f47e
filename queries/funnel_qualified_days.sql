-- name: FunnelQualifiedDays
-- Parameters: none
-- Purpose: the median (quantile_cont, linear interpolation) of days from a
-- lead's creation to its first reaching the qualified stage (qualified_at of
-- fl_lead, by implication included), over every lead of the store that
-- reached it not before it was created, and how many such leads there are.
-- It is the default landmark of by_action. Needs fl_lead.
SELECT quantile_cont(date_diff('second', created_at, qualified_at) / 86400.0, 0.5) AS median_days,
       count(*) AS qualified_leads
FROM fl_lead
WHERE qualified_at >= created_at
