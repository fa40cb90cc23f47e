-- name: FunnelLowMemory
-- Purpose: run the next statements with one thread and without preserving
-- insertion order, which DuckDB names as the ways to need less memory at
-- once (each thread holds its own hash table and aggregate state). Used by
-- BuildLeadActions after an out-of-memory error; FunnelLowMemoryEnd undoes it.
SET threads = 1;
SET preserve_insertion_order = false;
