package queries

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/funnel-dev/funnel/internal/atomicfile"
)

//go:embed convert_csv_parquet.sql
var convertCSVSQL string

//go:embed convert_json_parquet.sql
var convertJSONSQL string

// ConvertToParquet copies the CSV or JSON file at in (picked by extension
// like Load does: .csv/.tsv/.txt, .json/.ndjson/.jsonl, each optionally
// .gz) into a Parquet file at out, rows in file order. CSV timestamp columns
// become typed timestamps and every other CSV column stays text (see
// convert_csv_parquet.sql); JSON keeps the types JSON detection gives. The
// Parquet file is written through atomicfile.Produce: next to out under a
// temporary name, renamed into place only when complete, so out is never
// seen half-written, an existing out is left as it was on failure, and an
// out that is not a regular file is refused. Paths are bound parameters.
func (s *Store) ConvertToParquet(ctx context.Context, in, out string) error {
	format, _, err := formatOf(in)
	if err != nil {
		return fmt.Errorf("convert %s: %w", in, err)
	}
	var q string
	switch format {
	case formatCSV:
		q = convertCSVSQL
	case formatJSON:
		q = convertJSONSQL
	default:
		return fmt.Errorf("convert %s: already Parquet", in)
	}
	if !strings.EqualFold(filepath.Ext(out), ".parquet") {
		return fmt.Errorf("convert %s: output %s must end in .parquet", in, out)
	}
	if _, err := os.Stat(in); err != nil {
		return fmt.Errorf("convert %s: %w", in, err)
	}
	err = atomicfile.Produce(out, func(tmp string) error {
		_, err := s.db.ExecContext(ctx, q, in, tmp)
		return err
	})
	if err != nil {
		return fmt.Errorf("convert %s: %w", in, err)
	}
	return nil
}
