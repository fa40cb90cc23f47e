// Package queries owns the DuckDB store of a funnel workspace: opening the
// file, its schema, loading and validating input files, and every SQL
// statement the engine runs. Each statement lives in its own embedded .sql
// file named like the Go function that runs it (stage_counts.sql ↔
// StageCounts). Results come back as Arrow record readers for anything large
// and as small typed rows for summaries.
package queries
