-- name: StoreSchemaTables
-- Parameters: none.
-- Purpose: what the opened database holds of a workspace: the number of
-- workspace tables of the first schema (001_schema.sql) and whether the
-- schema_version table exists. No tables means an empty database (version
-- 0); tables without schema_version mean a workspace written before
-- migrations were numbered (version 1).
SELECT
    count(*) FILTER (WHERE table_name IN ('leads', 'lead_attributes', 'events', 'stages', 'outcomes', 'loads')),
    count(*) FILTER (WHERE table_name = 'schema_version') > 0
FROM duckdb_tables()
WHERE database_name = current_database()
    AND schema_name = 'main';
