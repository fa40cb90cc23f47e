package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/calibrate"
	"github.com/funnel-dev/funnel/internal/atomicfile"
)

// scoreOptions are the flags of funnel score.
type scoreOptions struct {
	db     string
	model  string
	out    string
	stages []string
	asOf   string
}

// topReasons is how many reasons each scored lead lists.
const topReasons = 3

func newScoreCmd(e *env) *cobra.Command {
	o := scoreOptions{}
	cmd := &cobra.Command{
		Use:   "score --db FILE --model model.yaml --out scores.csv|scores.parquet",
		Short: "Apply a scoring model file to every lead",
		Long: `score applies a model file — one written by funnel calibrate or by hand — to
every lead created by --as-of (default: the end of the data) and writes one
row per lead: lead_id, score, probability (empty when the model has no
intercept), mql (score ≥ the model's threshold, for leads still with
marketing), status ("open", or "with_sales" for a lead already in a
sales-owned stage or closed at that moment: scored, but no MQL candidate),
age_days (empty for an undated lead) and top_reasons (the three largest
contributions, e.g. "demo_request +12; referral +15"). An empty channel
scores as the level (none), an empty attribute as (missing). Leads with a
channel or attribute value a calibrated model was not fitted on score it as
the baseline (0 points) and are counted on stderr.

Each lead is scored as a live score would have scored it at --as-of: its
events strictly before that moment, decayed from it, and the probability of
the model's largest landmark not past the lead's age. A model that names an
action, channel or attribute column the data does not have is refused.
Numeric features of the model (numeric: in the file) take the lead's number:
its bin's points, or points per unit; a lead without a number (empty, text,
or no value) gets the feature's missing points (0 when the model gives none).
A value:ACTION feature sums that action's event values before --as-of.

The output format follows the extension: .csv or .parquet.
` + outputsHelp,
		Example: `  funnel score --db funnel.duckdb --model model.yaml --out scores.csv
  funnel score --db funnel.duckdb --model model.yaml --out scores.csv --as-of 2026-06-01
  funnel score --db funnel.duckdb --model current.yaml --out scores.parquet`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "db", "model", "out"); err != nil {
				return err
			}
			return runScore(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.db, "db", "", "workspace DuckDB file (required)")
	f.StringVar(&o.model, "model", "", "model file, e.g. model.yaml (required)")
	f.StringVar(&o.out, "out", "", "scores file to write: .csv or .parquet (required)")
	f.StringSliceVar(&o.stages, "sales-stages", calibrate.DefaultSalesStages(), "sales-owned stages: a lead in one of them is with sales, no MQL candidate")
	f.StringVar(&o.asOf, "as-of", "", "score the leads as of this moment (YYYY-MM-DD or RFC 3339; default: the end of the data)")
	return cmd
}

// runScore does the work of funnel score.
func runScore(ctx context.Context, e *env, o scoreOptions) error {
	ext := strings.ToLower(filepath.Ext(o.out))
	if ext != ".csv" && ext != ".parquet" {
		return usagef("--out %s: use a .csv or .parquet file", o.out)
	}
	inputs := append(dbInputs(o.db), pathFlag{flag: "--model", path: o.model})
	if err := checkOutputs(inputs, []pathFlag{{flag: "--out", path: o.out}}); err != nil {
		return err
	}
	m, err := readModel(o.model)
	if err != nil {
		return err
	}
	st, err := openWorkspace(ctx, e, o.db)
	if err != nil {
		return err
	}
	defer st.Close()
	// Rows are formatted beside the scoring, on its workers: formatting 5M
	// rows on the goroutine that writes them kept it the slowest of three.
	so := calibrate.ScoreOptions{SalesStages: o.stages, Format: appendScoreRow}
	if o.asOf != "" {
		t, err := parseMoment(o.asOf)
		if err != nil {
			return usagef("--as-of %q: %v", o.asOf, err)
		}
		so.AsOf = t
	}
	if e.progress {
		so.Progress = func(msg string) { fmt.Fprintln(e.stderr, "score: "+printable(msg)) }
	}
	var n, mqls, unseen int
	writeCSV := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<18)
		if _, err := bw.WriteString(scoresHeader); err != nil {
			return err
		}
		err := calibrate.ScoreLeads(ctx, st, m, so, func(s calibrate.LeadScore) error {
			n++
			if s.MQL {
				mqls++
			}
			if s.Unseen > 0 {
				unseen++
			}
			_, err := bw.Write(s.Row)
			return err
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	}
	if ext == ".csv" {
		err = atomicfile.Write(o.out, writeCSV)
	} else {
		err = writeParquet(ctx, o.out, writeCSV, func(csvPath, pqPath string) error {
			return st.ScoresToParquet(ctx, csvPath, pqPath)
		})
	}
	if err != nil {
		return fmt.Errorf("score with %s: %w", o.model, err)
	}
	fmt.Fprintf(e.stdout, "scored %d leads with %s: %d MQLs at threshold %d\nwrote %s\n", n, printable(o.model), mqls, m.Threshold, printable(o.out))
	if unseen > 0 {
		fmt.Fprintf(e.stderr, "score: %d of %d leads have a channel or attribute value %s was not fitted on; it scores 0 points, as the baseline\n", unseen, n, printable(o.model))
	}
	return nil
}

// writeParquet writes the scores as CSV to a scratch file beside out,
// converts it with convert into out's temporary file and renames that into
// place (atomicfile.WithScratch and Produce): both are hidden
// .NAME.tmp-DIGITS files of out, removed on failure, and by the next run if
// a killed one left them.
func writeParquet(ctx context.Context, out string, writeCSV func(io.Writer) error, convert func(csvPath, pqPath string) error) error {
	return atomicfile.Produce(out, func(pqPath string) error {
		return atomicfile.WithScratch(out, writeCSV, func(csvPath string) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return convert(csvPath, pqPath)
		})
	})
}

// parseMoment parses a --as-of value: a date (YYYY-MM-DD, midnight UTC) or
// an RFC 3339 time.
func parseMoment(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("use YYYY-MM-DD or an RFC 3339 time such as 2026-06-01T09:00:00Z")
	}
	return t.UTC(), nil
}
