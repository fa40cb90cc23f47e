-- name: LoadRewriteGroups
-- Purpose: the row groups of a stored table that hold a row marked in the
-- temporary table /*ROWIDS*/ (column v), as rowid ranges [lo, hi), with
-- groups, how many row groups the table has. A table's row groups hold
-- consecutive rowids in row_group_id order, each as many as its first
-- column's segments span (pragma_storage_info gives each segment's start
-- within its row group).
-- /*TABLE_NAME*/ is replaced by the table's name as a string literal.
SELECT lo, hi, groups
FROM (
    SELECT sum(n) OVER (ORDER BY row_group_id) - n AS lo,
           sum(n) OVER (ORDER BY row_group_id) AS hi,
           count(*) OVER () AS groups
    FROM (
        SELECT row_group_id, max(start + count) AS n
        FROM pragma_storage_info(/*TABLE_NAME*/)
        WHERE column_id = 0
        GROUP BY row_group_id
    )
) AS g
WHERE EXISTS (SELECT 1 FROM /*ROWIDS*/ AS c WHERE c.v >= g.lo AND c.v < g.hi)
ORDER BY lo
