-- name: LoadInsertionOrderReset
-- Purpose: put DuckDB's insertion order back to its default (kept), after
-- load_insertion_order_off.sql.
RESET preserve_insertion_order;
