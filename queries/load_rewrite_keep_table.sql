-- name: LoadRewriteKeepTable
-- Purpose: the temporary table /*KEEP*/ of the rows that stay in the row
-- groups being rewritten; /*SELECTS*/ is one load_rewrite_keep.sql per row
-- group, joined with UNION ALL.
CREATE OR REPLACE TEMP TABLE /*KEEP*/ AS
/*SELECTS*/
