-- name: StoreSchemaVersion
-- Parameters: none.
-- Purpose: the workspace's schema version: the highest migration applied.
SELECT coalesce(max(version), 1) FROM schema_version;
