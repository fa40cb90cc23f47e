-- name: SetTimeZone
-- Purpose: run on every new connection so that TIMESTAMPTZ values are
-- converted and shown in UTC, independent of the machine's time zone.
SET TimeZone = 'UTC';
