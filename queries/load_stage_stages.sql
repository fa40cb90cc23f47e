-- name: LoadStageStages
-- Purpose: read a stage-history file into its staging relation,
-- like load_stage_events.sql: parsed columns in file order and the first
-- problem of each row in _bad. Stage names are kept as written (trimmed).
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
-- /*RELATION*/ is TABLE, or VIEW for a Parquet file read in place (see
-- stageFile in load_kind.go).
CREATE OR REPLACE TEMP /*RELATION*/ /*STAGE*/ AS
SELECT * EXCLUDE (_check, _cast_entered_at, _raw_entered_at, _typed_entered_at),
    CASE
        WHEN _check IS NOT NULL THEN _check
        WHEN lead_id IS NULL THEN {'col': 'lead_id', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN stage IS NULL THEN {'col': 'stage', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN entered_at IS NULL AND _raw_entered_at IS NULL THEN {'col': 'entered_at', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN entered_at IS NULL THEN {'col': 'entered_at', 'kind': 'timestamp', 'value': _raw_entered_at}
    END AS _bad
FROM (
    SELECT *,
        coalesce(_typed_entered_at, funnel_ts(_raw_entered_at, _cast_entered_at)) AS entered_at
    FROM (
        SELECT *, TRY_CAST(_raw_entered_at AS TIMESTAMP) AS _cast_entered_at
        FROM (SELECT /*COLUMNS*/ FROM (/*SOURCE*/) AS src) AS cols
    ) AS casts
) AS parsed
