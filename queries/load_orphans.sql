-- name: LoadOrphans
-- Purpose: how many rows of the staging table name a lead_id that the leads table
-- does not hold (after this load's leads file, if any, was applied).
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
SELECT count(*) FROM /*STAGE*/ AS s ANTI JOIN leads AS l ON l.lead_id = s.lead_id
