-- name: StoreHasSchema
-- Parameters: none.
-- Purpose: count the workspace tables (schema.sql) in the opened database
-- file, so that a read-only open of a file without any (a DuckDB file not
-- made by funnel, or one whose first load was killed before it created its
-- tables) is refused with a clear message instead of a catalog error later.
SELECT count(*)
FROM duckdb_tables()
WHERE database_name = current_database()
    AND schema_name = 'main'
    AND table_name IN ('leads', 'lead_attributes', 'events', 'stages', 'outcomes', 'loads');
