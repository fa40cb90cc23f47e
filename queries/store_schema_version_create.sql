-- name: StoreSchemaVersionCreate
-- Parameters: none.
-- Purpose: create the table that records the migrations applied to a
-- workspace, one row each (queries/migrations/NNN_what.sql).
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER   NOT NULL,
    name       VARCHAR   NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
