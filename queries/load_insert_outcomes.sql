-- name: LoadInsertOutcomes
-- Purpose: add the staged outcomes that are not stored yet; natural key
-- (lead_id, closed_at, outcome). Of rows sharing a key within the file the
-- first is kept (its amount); a key already stored is skipped.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO outcomes
SELECT s.lead_id, s.closed_at, s.outcome, s.amount
FROM (SELECT *, rowid AS _rn FROM /*STAGE*/) AS s
ANTI JOIN outcomes AS o
    ON o.lead_id = s.lead_id AND o.closed_at = s.closed_at AND o.outcome = s.outcome
QUALIFY row_number() OVER (PARTITION BY s.lead_id, s.closed_at, s.outcome ORDER BY s._rn) = 1
