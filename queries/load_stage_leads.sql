-- name: LoadStageLeads
-- Purpose: read a leads file into its staging table, like
-- load_stage_events.sql. Columns beyond lead_id, created_at and channel
-- are profile attributes: text, named in lower case. An empty channel
-- arrives as "(none)" (NoChannel in load_columns.go), a group of its own.
-- An empty or missing created_at is an undated lead (NULL), kept. With an
-- outcome column (load_outcome_column.go), _outcome is won, lost or NULL
-- (open); a value neither won nor lost is refused.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
-- /*RELATION*/ is TABLE, or VIEW for a Parquet file read in place (see
-- stageFile in load_kind.go).
CREATE OR REPLACE TEMP /*RELATION*/ /*STAGE*/ AS
SELECT * EXCLUDE (_check, _cast_created_at, _raw_created_at, _typed_created_at, _raw_outcome),
    CASE
        WHEN _check IS NOT NULL THEN _check
        WHEN lead_id IS NULL THEN {'col': 'lead_id', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN created_at IS NULL AND _raw_created_at IS NOT NULL THEN {'col': 'created_at', 'kind': 'timestamp', 'value': _raw_created_at}
        WHEN _raw_outcome IS NOT NULL AND _outcome IS NULL THEN {'col': 'outcome', 'kind': 'outcome_value', 'value': _raw_outcome}
    END AS _bad
FROM (
    SELECT *,
        coalesce(_typed_created_at, funnel_ts(_raw_created_at, _cast_created_at)) AS created_at
    FROM (
        SELECT *, TRY_CAST(_raw_created_at AS TIMESTAMP) AS _cast_created_at
        FROM (SELECT /*COLUMNS*/ FROM (/*SOURCE*/) AS src) AS cols
    ) AS casts
) AS parsed
