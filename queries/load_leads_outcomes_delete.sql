-- name: LoadLeadsOutcomesDelete
-- Parameters: none.
-- Purpose: a leads file loaded with an outcome column is the truth about
-- its leads' undated outcomes (closed_at NULL): delete those it no longer
-- gives (the lead's value changed, or it is empty again: still open).
-- Dated outcomes, from an outcomes file, are left alone.
DELETE FROM outcomes AS o
WHERE o.closed_at IS NULL
    AND o.lead_id IN (SELECT lead_id FROM load_leads)
    AND NOT EXISTS (
        SELECT 1 FROM load_leads AS n
        WHERE n.lead_id = o.lead_id AND n._outcome = o.outcome
    )
