-- name: LoadInsertDirect
-- Purpose: check and add every row of a leads, events or stages file in one
-- pass, into a stored table that holds no row yet (for leads: no lead, see
-- load_leads_first.sql; a lead's attributes are columns of leads, added
-- before by load_leads_add_attribute.sql): the staging relation is a
-- view reading the file, and a row with a problem (_bad) fails the
-- statement, and so the load's transaction, with an error that sends the
-- load back to the staged path (a table per file, checked before the
-- transaction), which reports the problem by line. Every row is written
-- once instead of twice.
-- /*TABLE*/ is replaced by the quoted stored table (leads, events or stages),
-- /*COLUMNS*/ by the staging view's columns to write, each under the
-- name of its stored column (BY NAME).
-- /*STAGE*/ is replaced by the quoted name of the file's staging view,
-- load_stage_<kind>.
INSERT INTO /*TABLE*/ BY NAME
SELECT /*COLUMNS*/ FROM /*STAGE*/
WHERE CASE WHEN _bad IS NULL THEN true ELSE error('a row of the file has a problem') END
