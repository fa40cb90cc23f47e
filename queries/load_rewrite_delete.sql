-- name: LoadRewriteDelete
-- Purpose: delete every row of /*TABLE*/ with a rowid in [$1, $2): one whole
-- row group, rewritten by load_rewrite_insert.sql.
DELETE FROM /*TABLE*/ WHERE rowid >= $1 AND rowid < $2
