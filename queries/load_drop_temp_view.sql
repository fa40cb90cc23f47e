-- name: LoadDropTempView
-- Purpose: drop a staging view (a Parquet file staged in place) so that a
-- later load on the same pooled connection can stage a table under its
-- name. /*TABLE*/ is replaced by the quoted view name.
DROP VIEW IF EXISTS /*TABLE*/
