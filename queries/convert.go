package queries

import (
	"context"
	_ "embed"
	"errors"
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
// out that is not a regular file is refused. A CSV row with more or fewer
// fields than the header is refused as Load refuses it: an *InputError
// naming the file and the line, and no output. Paths are bound parameters.
func (s *Store) ConvertToParquet(ctx context.Context, in, out string) error {
	format, gz, err := formatOf(in)
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
	// One connection: the CSV reader's rejected rows are kept in its
	// temporary tables.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("convert %s: %w", in, err)
	}
	defer conn.Close()
	f := inputFile{path: in, format: format, gz: gz}
	err = atomicfile.Produce(out, func(tmp string) error {
		if format == formatCSV {
			dropTables(ctx, conn, "load_rejects", "load_reject_scans")
			defer dropTables(context.WithoutCancel(ctx), conn, "load_rejects", "load_reject_scans")
		}
		if _, err := conn.ExecContext(ctx, q, in, tmp); err != nil {
			return err
		}
		if format == formatCSV {
			return csvRejects(ctx, conn, f)
		}
		return nil
	})
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	if err != nil {
		return fmt.Errorf("convert %s: %w", in, err)
	}
	return nil
}
