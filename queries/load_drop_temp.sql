-- name: LoadDropTemp
-- Purpose: drop one of the loader's temporary tables (load_stage_<kind>,
-- load_leads, load_attrs, load_leads_write, …) so that a staged file does
-- not stay in memory on a pooled connection. /*TABLE*/ is replaced by the
-- quoted table name. A staging view is dropped by load_drop_temp_view.sql.
DROP TABLE IF EXISTS /*TABLE*/
