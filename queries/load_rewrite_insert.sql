-- name: LoadRewriteInsert
-- Purpose: add back the kept rows of rewritten row groups, held in the
-- temporary table /*KEEP*/ (load_rewrite_keep.sql), to /*TABLE*/.
INSERT INTO /*TABLE*/ SELECT * FROM /*KEEP*/
