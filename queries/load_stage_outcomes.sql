-- name: LoadStageOutcomes
-- Purpose: read an outcomes file into its staging relation, like
-- load_stage_events.sql. The outcome is lower-cased and must be won or lost.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- table, load_stage_<kind>, filled from the file before the transaction.
-- /*RELATION*/ is TABLE, or VIEW for a Parquet file read in place (see
-- stageFile in load_kind.go).
CREATE OR REPLACE TEMP /*RELATION*/ /*STAGE*/ AS
SELECT * EXCLUDE (_check, _cast_closed_at, _cast_amount, _raw_closed_at, _typed_closed_at, _raw_outcome, _raw_amount, _typed_amount),
    CASE
        WHEN _check IS NOT NULL THEN _check
        WHEN lead_id IS NULL THEN {'col': 'lead_id', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN closed_at IS NULL AND _raw_closed_at IS NULL THEN {'col': 'closed_at', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN closed_at IS NULL THEN {'col': 'closed_at', 'kind': 'timestamp', 'value': _raw_closed_at}
        WHEN _raw_outcome IS NULL THEN {'col': 'outcome', 'kind': 'empty', 'value': NULL::VARCHAR}
        WHEN outcome NOT IN ('won', 'lost') THEN {'col': 'outcome', 'kind': 'outcome', 'value': _raw_outcome}
        WHEN amount IS NULL AND _raw_amount IS NOT NULL THEN {'col': 'amount', 'kind': 'number', 'value': _raw_amount}
    END AS _bad
FROM (
    SELECT *,
        coalesce(_typed_closed_at, funnel_ts(_raw_closed_at, _cast_closed_at)) AS closed_at,
        lower(_raw_outcome) AS outcome,
        coalesce(_typed_amount, funnel_num(_cast_amount)) AS amount
    FROM (
        SELECT *, TRY_CAST(_raw_closed_at AS TIMESTAMP) AS _cast_closed_at, TRY_CAST(_raw_amount AS DOUBLE) AS _cast_amount
        FROM (SELECT /*COLUMNS*/ FROM (/*SOURCE*/) AS src) AS cols
    ) AS casts
) AS parsed
