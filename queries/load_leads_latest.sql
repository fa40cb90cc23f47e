-- name: LoadLeadsLatest
-- Purpose: one row per lead_id of the staging table, the last one in the file when
-- a lead appears more than once (a later row is a later export of the lead).
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
CREATE OR REPLACE TEMP TABLE load_leads AS
SELECT * EXCLUDE (_bad, _rn)
FROM (SELECT *, rowid AS _rn FROM /*STAGE*/)
QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY _rn DESC) = 1
