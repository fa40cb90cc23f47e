-- name: LoadRepeatedKeys
-- Purpose: the hashes of natural keys that more than one staged row has,
-- into the temporary table load_repeated_keys, and how many there are. Equal rows hash equally, so
-- a row whose hash is not listed has no duplicate in the file and the
-- insert copies it as it is; only the (usually few) listed rows go through
-- a DISTINCT, the most expensive step of a large load when run on all rows.
-- Repeats are found by sorting the hashes and comparing neighbours, which
-- measured about twice as fast as grouping by hash when (as usual) almost
-- every hash is unique: 0.9 s against 1.4–1.8 s for 10M events.
-- /*KEY*/ is replaced by the quoted columns of the kind's natural key.
-- /*STAGE*/ is replaced by the quoted name of the file kind's staging
-- relation, load_stage_<kind>, filled from the file before the transaction.
CREATE OR REPLACE TEMP TABLE load_repeated_keys AS
SELECT DISTINCT h
FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT hash(/*KEY*/) AS h FROM /*STAGE*/))
WHERE h = previous;
SELECT count(*) FROM load_repeated_keys
