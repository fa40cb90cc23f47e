-- name: LoadInsertPlain
-- Purpose: add every staged row as it is, when no stored row falls in the
-- file's time range and load_repeated_keys.sql found no two rows equal.
-- /*TABLE*/ is replaced by the quoted stored table (events or stages),
-- /*COLUMNS*/ by its quoted columns in table order.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- relation, load_stage_<kind>, filled from the file before the transaction.
INSERT INTO /*TABLE*/ SELECT /*COLUMNS*/ FROM /*STAGE*/
