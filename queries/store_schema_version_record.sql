-- name: StoreSchemaVersionRecord
-- Parameters: $1 version (INTEGER), $2 name of the migration file.
-- Purpose: record that a migration was applied to the workspace.
INSERT INTO schema_version (version, name, applied_at)
VALUES ($1, $2, current_timestamp::TIMESTAMP);
