-- name: StatusStagesOutOfOrder
-- Purpose: leads whose stage dates contradict the default funnel order
-- lead < mql < sal < sql < opportunity within one pass through the funnel.
-- A lead's stage history is cut into passes by its recycle entries (stage
-- recycled or nurture, the report's recycle stages): an entry belongs to the
-- pass numbered by how many recycle entries of the lead are dated strictly
-- before it, so a stage entered at the very moment of a recycle (the SAL
-- call that sends the lead back) belongs to the pass that recycle ends.
-- Within a pass, a funnel stage first entered before an earlier funnel stage
-- of the same pass was first entered (e.g. sal before mql) is out of order.
-- The lead's "lead" time is its created_at (and any stage row named lead),
-- so a stage dated before the lead was created is out of order too.
-- Stages a pass skips are not compared: a referral entering straight at
-- sql, or coming back at mql after a recycle, is legal. Stage names are
-- compared ignoring case and surrounding spaces; other stages
-- (disqualified, …) neither count nor cut passes. Returns how many leads,
-- and up to 5 of them (the smallest).
WITH funnel_order(stage, pos) AS (
    VALUES ('lead', 0), ('mql', 1), ('sal', 2), ('sql', 3), ('opportunity', 4)
), recycles AS (
    SELECT lead_id, entered_at AS at
    FROM stages
    WHERE lower(trim(stage)) IN ('recycled', 'nurture')
), entries AS (
    SELECT s.lead_id, o.pos, s.entered_at AS entered
    FROM stages AS s JOIN funnel_order AS o ON o.stage = lower(trim(s.stage))
    UNION ALL
    SELECT l.lead_id, 0, l.created_at
    FROM leads AS l SEMI JOIN stages AS s ON s.lead_id = l.lead_id
), passes AS (
    SELECT e.lead_id, e.pos, e.entered, count(r.at) AS pass
    FROM entries AS e
    LEFT JOIN recycles AS r ON r.lead_id = e.lead_id AND r.at < e.entered
    GROUP BY e.lead_id, e.pos, e.entered
), firsts AS (
    SELECT lead_id, pass, pos, min(entered) AS first_at
    FROM passes
    GROUP BY lead_id, pass, pos
), bad AS (
    SELECT DISTINCT a.lead_id
    FROM firsts AS a JOIN firsts AS b
        ON b.lead_id = a.lead_id AND b.pass = a.pass AND a.pos < b.pos AND b.first_at < a.first_at
)
SELECT count(*), coalesce(min(lead_id, 5), []) FROM bad
