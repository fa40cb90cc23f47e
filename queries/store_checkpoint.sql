-- name: StoreCheckpoint
-- Parameters: none.
-- Purpose: write everything committed into the database file and empty its
-- write-ahead log, so that the file alone is the whole database (a load's
-- working copy is put in place only after this).
CHECKPOINT
