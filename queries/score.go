package queries

import (
	"context"
	_ "embed"
	"fmt"
)

//go:embed score_parquet.sql
var scoresToParquetSQL string

// ScoresToParquet converts a scores CSV file (columns lead_id, score,
// probability, mql, top_reasons, as funnel score writes them) into a Parquet
// file with typed columns. It works on a read-only store too.
func (s *Store) ScoresToParquet(ctx context.Context, csvPath, parquetPath string) error {
	if _, err := s.db.ExecContext(ctx, scoresToParquetSQL, csvPath, parquetPath); err != nil {
		return fmt.Errorf("write parquet %s: %w", parquetPath, err)
	}
	return nil
}
