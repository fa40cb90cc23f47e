package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/queries"
)

// convertOptions are the flags of funnel convert.
type convertOptions struct {
	in  string // CSV or JSON file in the input contract (any file load reads)
	out string // Parquet file to write; must end in .parquet
}

func newConvertCmd(e *env) *cobra.Command {
	var o convertOptions
	cmd := &cobra.Command{
		Use:   "convert --in FILE --out FILE.parquet",
		Short: "Convert a CSV or JSON export to Parquet",
		Long: `convert copies a CSV (.csv, .tsv, .txt) or JSON (.json, .ndjson, .jsonl) file,
optionally gzip-compressed, into a Parquet file with DuckDB, rows in file
order. CSV columns that hold timestamps are stored as typed timestamps (an
offset such as +02:00 or Z makes it a UTC instant); every other CSV column
stays text, so identifiers keep leading zeros and funnel load checks numbers
exactly as it would from the CSV. JSON keeps the types JSON detection gives.
Loading the Parquet file gives the same workspace as loading the original,
faster.
` + outputsHelp,
		Example: `  funnel convert --in events.csv --out events.parquet
  funnel convert --in leads.ndjson.gz --out leads.parquet`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "in", "out"); err != nil {
				return err
			}
			return runConvert(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.in, "in", "", "CSV or JSON `FILE` to convert (required)")
	f.StringVar(&o.out, "out", "", "Parquet `FILE` to write, ending in .parquet (required)")
	return cmd
}

// runConvert converts o.in to the Parquet file o.out with an in-memory
// DuckDB; it spills to --temp-dir, or else to a temporary folder next to
// o.out that is removed afterwards.
func runConvert(ctx context.Context, e *env, o convertOptions) error {
	if !strings.EqualFold(filepath.Ext(o.out), ".parquet") {
		return usagef("--out %s: name the output .parquet", o.out)
	}
	if err := checkOutputs([]pathFlag{{flag: "--in", path: o.in}}, []pathFlag{{flag: "--out", path: o.out}}); err != nil {
		return err
	}
	opts := e.storeOptions(false)
	if opts.TempDir == "" {
		tmp, err := os.MkdirTemp(filepath.Dir(o.out), ".funnel-convert-*")
		if err != nil {
			return fmt.Errorf("convert %s: %w", o.in, err)
		}
		defer os.RemoveAll(tmp)
		opts.TempDir = tmp
	}
	st, err := queries.Open(ctx, ":memory:", opts)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.ConvertToParquet(ctx, o.in, o.out); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, printable(o.out))
	return nil
}
