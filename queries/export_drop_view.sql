-- name: dropExportView
-- Parameters: none
-- Purpose: remove the view funnel_export that WriteParquet registered on a
-- pooled connection, so the next use of the connection starts clean.
DROP VIEW IF EXISTS funnel_export
