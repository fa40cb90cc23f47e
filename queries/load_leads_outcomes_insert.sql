-- name: LoadLeadsOutcomesInsert
-- Parameters: none.
-- Purpose: add the outcomes a leads file's outcome column gives (won or
-- lost; empty means still open, no row) as undated outcomes (closed_at
-- NULL, no amount), skipping those already stored.
INSERT INTO outcomes (lead_id, closed_at, outcome, amount)
SELECT n.lead_id, NULL, n._outcome, NULL
FROM load_leads AS n
WHERE n._outcome IS NOT NULL
    AND NOT EXISTS (
        SELECT 1 FROM outcomes AS o
        WHERE o.lead_id = n.lead_id AND o.closed_at IS NULL AND o.outcome = n._outcome
    )
