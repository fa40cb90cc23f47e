-- name: FunnelLowMemoryEnd
-- Purpose: undo FunnelLowMemory: DuckDB's default threads and insertion order.
RESET threads;
RESET preserve_insertion_order;
