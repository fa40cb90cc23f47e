-- name: SetMemoryLimit
-- Spliced in as text of the statement (SET takes no parameter):
--   /*LIMIT*/ the limit as a string literal, e.g. '256MB'.
-- Purpose: change DuckDB's memory limit for the whole database, every
-- connection included.
SET memory_limit = /*LIMIT*/;
