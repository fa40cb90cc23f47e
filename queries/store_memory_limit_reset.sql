-- name: ResetMemoryLimit
-- Purpose: put DuckDB's memory limit back to its default (80% of RAM), for a
-- store opened without one.
RESET memory_limit;
