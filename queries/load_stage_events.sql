-- name: LoadStageEvents
-- Purpose: read an events file into its staging relation, one row
-- per record in file order (rowid = 0-based record number), with parsed
-- columns and, in _bad, the first problem of the row as {col, kind, value}
-- (NULL when the row is fine). /*SOURCE*/ is one of load_read_*.sql;
-- /*COLUMNS*/ is written by the loader from the file's columns: text
-- columns trimmed (empty → NULL) under their contract name; timestamps and
-- numbers as _raw_<name> (trimmed text) and _typed_<name> (a column the file
-- already typed), one of the two NULL; and _check, a problem found in the
-- file's columns before parsing (a nested value where a plain one is due, a
-- number whose dot may separate thousands) as {col, kind, value}, or NULL.
-- _raw_<name> is cast once (_cast_<name>) in a projection below the one
-- that parses, for funnel_ts and funnel_num to share.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
-- /*RELATION*/ is TABLE, or VIEW for a Parquet file read in place (see
-- stageFile in load_kind.go).
CREATE OR REPLACE TEMP /*RELATION*/ /*STAGE*/ AS
SELECT * EXCLUDE (_check, _cast_occurred_at, _cast_value, _raw_occurred_at, _typed_occurred_at, _raw_value, _typed_value),
    CASE
        WHEN _check IS NOT NULL THEN _check
        WHEN lead_id IS NULL THEN {'col': 'lead_id', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN occurred_at IS NULL AND _raw_occurred_at IS NULL THEN {'col': 'occurred_at', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN occurred_at IS NULL THEN {'col': 'occurred_at', 'kind': 'timestamp', 'value': _raw_occurred_at}
        WHEN action IS NULL THEN {'col': 'action', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN value IS NULL AND _raw_value IS NOT NULL THEN {'col': 'value', 'kind': 'number', 'value': _raw_value}
    END AS _bad
FROM (
    SELECT *,
        coalesce(_typed_occurred_at, funnel_ts(_raw_occurred_at, _cast_occurred_at)) AS occurred_at,
        coalesce(_typed_value, funnel_num(_cast_value)) AS value
    FROM (
        SELECT *, TRY_CAST(_raw_occurred_at AS TIMESTAMP) AS _cast_occurred_at, TRY_CAST(_raw_value AS DOUBLE) AS _cast_value
        FROM (SELECT /*COLUMNS*/ FROM (/*SOURCE*/) AS src) AS cols
    ) AS casts
) AS parsed
