-- name: MemoryLimit
-- Purpose: DuckDB's memory limit as DuckDB shows it, e.g. '3.7 GiB' or
-- '244.1 MiB' (store_scan_memory.go reads it to compare with the scans').
SELECT current_setting('memory_limit');
