-- name: LoadLeadsInsertAttrsDirect
-- Purpose: write the attributes of every lead of a leads file inserted in
-- one pass (load_insert_direct.sql) into a workspace that holds no leads
-- yet, one (lead_id, name, value) row per lead and attribute column, read
-- from the file's staging view (a second read of the file, cheaper than
-- copying it into a staging table first). Like
-- load_leads_insert_attrs_all.sql, UNPIVOT leaves out NULL values. A row
-- with a problem (_bad) fails the statement, as in load_insert_direct.sql.
-- Run only when the file has attribute columns and no outcome column.
-- /*STAGE*/ is replaced by the quoted name of the leads file's staging
-- view, load_stage_leads.
INSERT INTO lead_attributes
SELECT lead_id, name, value
FROM (
    SELECT * EXCLUDE (created_at, channel, _outcome, _bad) FROM /*STAGE*/
    WHERE CASE WHEN _bad IS NULL THEN true ELSE error('a row of the file has a problem') END
)
UNPIVOT (value FOR name IN (COLUMNS(* EXCLUDE (lead_id))))
