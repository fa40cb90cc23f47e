-- name: MacroNumber
-- Parameters: d, TRY_CAST(x AS DOUBLE) of a text value x (already trimmed)
-- read from an input file, computed once by the caller in a projection below
-- the one that calls funnel_num (a macro's argument is pasted in at each use).
-- Purpose: funnel_num(d) is x as a finite DOUBLE, or NULL when x is not a
-- number ('1,5' with a decimal comma, 'abc', 'nan' and 'inf' are NULL).
CREATE OR REPLACE TEMP MACRO funnel_num(d) AS
    CASE WHEN isfinite(d) THEN d END;
