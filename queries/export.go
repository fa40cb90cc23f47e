package queries

import (
	"context"
	_ "embed"
	"fmt"
)

//go:embed export_csv.sql
var exportCSVSQL string

//go:embed export_parquet.sql
var exportParquetSQL string

// ExportTable writes the table held in the newline-delimited JSON file
// ndjson (one object a row, the same keys in the same order in every row)
// as CSV with a header to csvPath and as Parquet to parquetPath, when
// those are not empty. Both outputs must already exist (the caller's
// temporary files, renamed into place by the caller): DuckDB writes into
// them directly. Paths are bound parameters. The store is only the engine
// doing the copy: any store, an in-memory one included, will do, and
// nothing in it changes.
func (s *Store) ExportTable(ctx context.Context, ndjson, csvPath, parquetPath string) error {
	for _, out := range []struct{ q, path string }{{exportCSVSQL, csvPath}, {exportParquetSQL, parquetPath}} {
		if out.path == "" {
			continue
		}
		if _, err := s.db.ExecContext(ctx, out.q, ndjson, out.path); err != nil {
			return fmt.Errorf("export %s: %w", out.path, err)
		}
	}
	return nil
}
