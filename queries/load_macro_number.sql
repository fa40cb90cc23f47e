-- name: MacroNumber
-- Parameters: x, a text value (already trimmed) read from an input file.
-- Purpose: funnel_num(x) is x as a finite DOUBLE, or NULL when x is not a
-- number ('1,5' with a decimal comma, 'abc', 'nan' and 'inf' are NULL).
CREATE OR REPLACE TEMP MACRO funnel_num(x) AS
    CASE WHEN isfinite(TRY_CAST(x AS DOUBLE)) THEN TRY_CAST(x AS DOUBLE) END;
