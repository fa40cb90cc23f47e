-- name: FeatureActionRows
-- Parameters:
--   $1, $2  the rowids [$1, $2) of events to read: one chunk of the table
--           (FeatureEventSpan), so that no result holds every event at once
-- Spliced in as text of the statement (numbers and a timestamp formatted by
-- the caller, names as string literals with quotes doubled):
--   /*WEIGHT*/  the weight w of an event: 0.5^(age/half_life) with age =
--               moment − occurred_at in fractional days, or 1 (a count)
--               when there is no half-life;
--   /*MOMENT*/  the as-of set's moment (features_as_of_moment.sql), a TIMESTAMP;
--   /*ACTIONS*/ the actions asked for, a list of string literals;
--   /*ACTION_IN*/ the same literals separated by commas, for IN: filtering
--               with list_contains took 0.96 s for 16.8M events, with IN
--               0.44 s (DuckDB evaluates the list function row by row).
-- As parameters, DuckDB computed the weight once per use and joined the
-- moment to every event: 43 to 80 s at 98M events instead of 7.
-- Purpose: every event of an action asked for strictly before the moment,
-- in storage order:
--   lead_id = its lead;
--   a       = the action's position in /*ACTIONS*/, from 1;
--   w       = its weight.
-- The caller sums w per lead and action. Summing here instead (one row per
-- lead, sum(w) FILTER (WHERE a = k) per action) cost about 19 s of the 33 s
-- of scoring 98M events on two CPUs: DuckDB updates every action's sum for
-- every event, while the caller adds each event once and looks its lead up
-- only where the lead changes (a table loaded from an export keeps each
-- lead's events mostly together). Events of leads the caller does not score
-- (created after the moment, undated, or missing from leads) are skipped by
-- the caller, as a join with the snapshot set would.
SELECT e.lead_id,
       CAST(list_position(/*ACTIONS*/, e.action) AS USMALLINT) AS a,
       /*WEIGHT*/ AS w
FROM events e
WHERE e.rowid >= $1 AND e.rowid < $2
  AND e.occurred_at < /*MOMENT*/
  AND e.action IN (/*ACTION_IN*/)
