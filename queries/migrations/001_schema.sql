-- name: 001_schema
-- Purpose: the first released workspace schema: create the workspace tables
-- if they do not exist. Idempotent. Never edit an applied migration: change
-- the schema with a new numbered file.
-- All timestamps are stored as TIMESTAMP in UTC.
CREATE TABLE IF NOT EXISTS leads (
    lead_id    VARCHAR   NOT NULL,
    created_at TIMESTAMP NOT NULL,
    channel    VARCHAR   NOT NULL
);
-- Profile attributes beyond the required columns, one row per lead and attribute.
CREATE TABLE IF NOT EXISTS lead_attributes (
    lead_id VARCHAR NOT NULL,
    name    VARCHAR NOT NULL,
    value   VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    lead_id     VARCHAR   NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    action      VARCHAR   NOT NULL,
    value       DOUBLE
);
CREATE TABLE IF NOT EXISTS stages (
    lead_id    VARCHAR   NOT NULL,
    stage      VARCHAR   NOT NULL,
    entered_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS outcomes (
    lead_id   VARCHAR   NOT NULL,
    closed_at TIMESTAMP NOT NULL,
    outcome   VARCHAR   NOT NULL,
    amount    DOUBLE
);
-- One row per file loaded.
CREATE TABLE IF NOT EXISTS loads (
    load_id    BIGINT    NOT NULL,
    kind       VARCHAR   NOT NULL,
    file       VARCHAR   NOT NULL,
    sha256     VARCHAR   NOT NULL,
    rows_read  BIGINT    NOT NULL,
    rows_added BIGINT    NOT NULL,
    duplicates BIGINT    NOT NULL,
    loaded_at  TIMESTAMP NOT NULL
);
