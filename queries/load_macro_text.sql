-- name: MacroText
-- Parameters: x, a text value read from an input file.
-- Purpose: funnel_text(x) is x with surrounding whitespace removed, and NULL
-- when nothing is left, so an empty field and a missing one are the same.
-- Created as a temporary macro on every connection.
CREATE OR REPLACE TEMP MACRO funnel_text(x) AS nullif(trim(x), '');
