-- name: StatusStagesOutOfOrder
-- Purpose: leads whose stage dates contradict the default funnel order
-- lead < mql < sal < sql < opportunity: some stage was first entered before
-- an earlier stage was first entered (e.g. sql before mql). A lead's "lead"
-- time is its created_at (or a stage row named lead, whichever is earlier).
-- Stage names are compared ignoring case and surrounding spaces; other
-- stages (recycled, disqualified, …) and stages a lead skipped are not
-- compared. Returns how many leads, and up to 5 of them (the smallest).
WITH funnel_order(stage, pos) AS (
    VALUES ('lead', 0), ('mql', 1), ('sal', 2), ('sql', 3), ('opportunity', 4)
), entries AS (
    SELECT s.lead_id, o.pos, s.entered_at AS entered
    FROM stages AS s JOIN funnel_order AS o ON o.stage = lower(trim(s.stage))
    UNION ALL
    SELECT l.lead_id, 0, l.created_at
    FROM leads AS l SEMI JOIN stages AS s ON s.lead_id = l.lead_id
), firsts AS (
    SELECT lead_id, pos, min(entered) AS first_at FROM entries GROUP BY lead_id, pos
), bad AS (
    SELECT DISTINCT a.lead_id
    FROM firsts AS a JOIN firsts AS b
        ON b.lead_id = a.lead_id AND a.pos < b.pos AND b.first_at < a.first_at
)
SELECT count(*), coalesce(min(lead_id, 5), []) FROM bad
