-- name: FeatureAttributeColumns
-- Parameters: none.
-- Purpose: how the workspace stores profile attributes: rows_table is true
-- when lead_attributes is still a table (a workspace of schema version 2
-- or older, read as it is), and columns the attribute columns of leads
-- ("attr:<name>", migrations/003_attribute_columns.sql), in table order.
SELECT
    EXISTS (SELECT 1 FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name = 'main'
              AND table_name = 'lead_attributes') AS rows_table,
    coalesce(list(column_name ORDER BY column_index) FILTER (
        WHERE table_name = 'leads' AND starts_with(column_name, 'attr:') AND column_name <> 'attr:'
    ), []::VARCHAR[]) AS columns
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main'
