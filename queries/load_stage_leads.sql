-- name: LoadStageLeads
-- Purpose: read a leads file into its staging table, like
-- load_stage_events.sql. Columns beyond lead_id, created_at and channel
-- are profile attributes: text, named in lower case. An empty channel
-- arrives as "(none)" (NoChannel in load_columns.go), a group of its own.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
-- /*RELATION*/ is TABLE, or VIEW for a Parquet file read in place (see
-- stageFile in load_kind.go).
CREATE OR REPLACE TEMP /*RELATION*/ /*STAGE*/ AS
SELECT * EXCLUDE (_check, _raw_created_at, _typed_created_at),
    CASE
        WHEN _check IS NOT NULL THEN _check
        WHEN lead_id IS NULL THEN {'col': 'lead_id', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN created_at IS NULL AND _raw_created_at IS NULL THEN {'col': 'created_at', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN created_at IS NULL THEN {'col': 'created_at', 'kind': 'timestamp', 'value': _raw_created_at}
    END AS _bad
FROM (
    SELECT *,
        coalesce(_typed_created_at, funnel_ts(_raw_created_at)) AS created_at
    FROM (SELECT /*COLUMNS*/ FROM (/*SOURCE*/) AS src) AS cols
) AS parsed
