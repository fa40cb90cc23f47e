-- name: LoadInsertionOrderOff
-- Purpose: let the next insert write rows in whatever order DuckDB's threads
-- read them (a setting of the whole database). An events or stages file
-- inserted in one pass (load_insert_direct.sql) is written this way: in
-- file order, each of a Parquet file's row groups a little larger than
-- DuckDB's (122,880 rows) left a row group of a few hundred rows behind it.
-- load_insertion_order_reset.sql puts the setting back.
SET preserve_insertion_order = false;
