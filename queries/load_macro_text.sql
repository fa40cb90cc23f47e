-- name: MacroText
-- Parameters: x, a text value read from an input file.
-- Purpose: funnel_text(x) is x with surrounding spaces removed, and NULL
-- when nothing is left, so an empty field and a missing one are the same.
-- trim() runs only on values that need it (it costs about as much as
-- reading the value). Created as a temporary macro on every connection.
CREATE OR REPLACE TEMP MACRO funnel_text(x) AS
    CASE WHEN starts_with(x, ' ') OR ends_with(x, ' ') OR x = '' THEN nullif(trim(x), '') ELSE x END;
