-- name: ScoresToParquet
-- Parameters:
--   $1 path of a scores CSV written by funnel score (header lead_id, score,
--      probability, mql, status, age_days, top_reasons; probability empty
--      when unknown)
--   $2 path of the Parquet file to write: the caller's temporary file,
--      already created (USE_TMP_FILE false: written in place, see
--      convert_csv_parquet.sql)
-- Purpose: convert the scores to Parquet with typed columns: lead_id VARCHAR,
-- score INTEGER, probability DOUBLE (NULL when empty), mql BOOLEAN,
-- status VARCHAR, age_days DOUBLE, top_reasons VARCHAR.
COPY (
    SELECT lead_id, score, probability, mql, status, age_days, top_reasons
    FROM read_csv($1, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                  columns = {'lead_id': 'VARCHAR', 'score': 'INTEGER', 'probability': 'DOUBLE',
                             'mql': 'BOOLEAN', 'status': 'VARCHAR', 'age_days': 'DOUBLE',
                             'top_reasons': 'VARCHAR'})
) TO $2 (FORMAT parquet, USE_TMP_FILE false)
