// Package queries owns the DuckDB store of a funnel workspace: opening the
// file, its schema, loading and validating input files, and every SQL
// statement the engine runs. Each statement lives in its own embedded .sql
// file named like the Go function that runs it (stage_counts.sql ↔
// StageCounts). Results come back as Arrow record readers for anything large
// and as small typed rows for summaries.
//
// A load never writes a workspace file in place: it runs on a copy beside
// it, renamed over the file once checkpointed and fsynced (store_copy.go),
// because DuckDB's own commit is not atomic under kill -9.
//
// The schema is versioned (migrate.go): every change is a numbered file
// migrations/NNN_what.sql, never edited once released. A load applies the
// pending ones on its working copy, in one transaction, and records each in
// the table schema_version; a workspace without that table but with the
// workspace tables is version 1. A workspace of a newer version is refused
// (ErrNewerWorkspace). testdata/v001 keeps a workspace of the first schema.
package queries
