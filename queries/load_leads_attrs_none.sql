-- name: LoadLeadsAttrsNone
-- Purpose: an empty load_attrs, for a leads file without attribute columns.
CREATE OR REPLACE TEMP TABLE load_attrs (lead_id VARCHAR, name VARCHAR, value VARCHAR)
