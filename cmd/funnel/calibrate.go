package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/calibrate"
	"github.com/funnel-dev/funnel/internal/atomicfile"
	"github.com/funnel-dev/funnel/reports"
)

// calibrateOptions are the flags of funnel calibrate.
type calibrateOptions struct {
	db       string
	out      string
	evidence string
	json     string
	current  string
	target   string
	observe  float64
	horizon  float64
	halfLife string
	l2       float64
	attrs    []string
	stages   []string
	// transform is count, log1p or yesno; cap is the cap on action values
	// (0 default rule, < 0 none).
	transform string
	cap       float64
	pdo       float64
	capacity  float64
	precision float64
	value     float64
	cost      float64
}

func newCalibrateCmd(e *env) *cobra.Command {
	o := calibrateOptions{}
	cmd := &cobra.Command{
		Use:   "calibrate --db FILE --out model.yaml [flags]",
		Short: "Fit scoring weights and the MQL threshold from history",
		Long: `calibrate fits a logistic regression of the target (won, or reached SQL,
within --horizon days of creation) on what each lead did before its cut-off:
the earlier of created_at + --observe days and its first entry into a
sales-owned stage. Leads whose outcome window is still open are left out and
counted. The older ~70% of mature leads train the model; the newest ~30% test
it out of time (AUC with a DeLong CI, Brier score, calibration, gains).
Weights become points (10 points double the odds), and the MQL threshold is
chosen on the test period by --capacity, --precision or --value/--cost as
the highest expected value per month. With none given, the expected value
counts 1 per target and the training target rate per MQL: the threshold that
captures the most targets beyond what as many random leads would. The half-life of
action decay is searched by profile likelihood unless --half-life is given.

It writes the model file (--out), and optionally the evidence page
(--evidence), the numbers as JSON (--json), and a backtest of the model you
use today (--current) against the proposed one.
` + outputsHelp,
		Example: `  funnel calibrate --db funnel.duckdb --out model.yaml --json calibration.json
  funnel calibrate --db funnel.duckdb --out model.yaml --evidence calibration.html \
      --current current.yaml --capacity 400 --attrs title,company_size
  funnel calibrate --db funnel.duckdb --out model.yaml --target sql --half-life none`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "db", "out"); err != nil {
				return err
			}
			return runCalibrate(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.db, "db", "", "workspace DuckDB file (required)")
	f.StringVar(&o.out, "out", "", "model file to write, e.g. model.yaml (required)")
	f.StringVar(&o.evidence, "evidence", "", "write the evidence page (HTML) to this file")
	f.StringVar(&o.json, "json", "", "write the results (calibration.json) to this file")
	f.StringVar(&o.current, "current", "", "model file in use today, backtested against the proposed one")
	f.StringVar(&o.target, "target", "won", "what to predict: won or sql")
	f.Float64Var(&o.observe, "observe", calibrate.DefaultObserveDays, "observation window in days after creation")
	f.Float64Var(&o.horizon, "horizon", calibrate.DefaultHorizonDays, "outcome window in days after creation")
	f.StringVar(&o.halfLife, "half-life", "auto", "decay of actions: auto (searched), none, or days")
	f.Float64Var(&o.l2, "l2", 0, "ridge penalty (0: plain maximum likelihood, equal to statsmodels Logit)")
	f.StringSliceVar(&o.attrs, "attrs", nil, "profile attributes to use as one-hot features, comma-separated")
	f.StringSliceVar(&o.stages, "sales-stages", calibrate.DefaultSalesStages(), "stages whose first entry ends the observation window")
	f.StringVar(&o.transform, "transform", calibrate.TransformCount, "how action counts enter: count, log1p or yesno")
	f.Float64Var(&o.cap, "cap", 0, "cap on action values (0: larger of 10 and the 99th percentile; negative: none)")
	f.Float64Var(&o.pdo, "pdo", calibrate.DefaultPDO, "points that double the odds")
	f.Float64Var(&o.capacity, "capacity", 0, "threshold rule: MQLs per month sales can handle")
	f.Float64Var(&o.precision, "precision", 0, "threshold rule: target rate among MQLs, in (0,1]")
	f.Float64Var(&o.value, "value", 0, "threshold rule: value of one target reached (with --cost; default 1 when no rule is given)")
	f.Float64Var(&o.cost, "cost", 0, "threshold rule: cost of one MQL handed to sales (with --value; default the training target rate when no rule is given)")
	return cmd
}

// runCalibrate does the work of funnel calibrate.
func runCalibrate(ctx context.Context, e *env, o calibrateOptions) error {
	hl, err := calibrate.ParseHalfLife(o.halfLife)
	if err != nil {
		return usagef("--half-life: %v", err)
	}
	if o.target != "won" && o.target != "sql" {
		return usagef("--target %q: use won or sql", o.target)
	}
	if o.precision < 0 || o.precision > 1 {
		return usagef("--precision %g: use a rate in (0,1]", o.precision)
	}
	if o.capacity < 0 {
		return usagef("--capacity %g is negative", o.capacity)
	}
	inputs := append(dbInputs(o.db), pathFlag{flag: "--current", path: o.current})
	outputs := []pathFlag{{flag: "--out", path: o.out}, {flag: "--json", path: o.json}, {flag: "--evidence", path: o.evidence}}
	if err := checkOutputs(inputs, outputs); err != nil {
		return err
	}
	opts := calibrate.Options{
		Target: o.target, ObserveDays: o.observe, HorizonDays: o.horizon, SalesStages: o.stages,
		HalfLife: hl, Transform: o.transform, Cap: o.cap, Attributes: o.attrs, L2: o.l2, PDO: o.pdo,
		Capacity: o.capacity, Precision: o.precision, Value: o.value, Cost: o.cost,
	}
	if e.progress {
		opts.Progress = func(msg string) { fmt.Fprintln(e.stderr, "calibrate: "+printable(msg)) }
	}
	if o.current != "" {
		m, err := readModel(o.current)
		if err != nil {
			return err
		}
		opts.Current, opts.CurrentName = m, o.current
	}
	st, err := openWorkspace(ctx, e, o.db)
	if err != nil {
		return err
	}
	defer st.Close()
	res, model, err := calibrate.Run(ctx, st, opts)
	if err != nil {
		return calibrateHint(err, o)
	}
	outs := []atomicfile.File{{Path: o.out, Write: model.WriteYAML}}
	if o.json != "" {
		outs = append(outs, atomicfile.File{Path: o.json, Write: func(w io.Writer) error { return reports.WriteJSON(w, res) }})
	}
	if o.evidence != "" {
		// The evidence page is rendered by the reports package.
		outs = append(outs, atomicfile.File{Path: o.evidence, Write: func(w io.Writer) error {
			return reports.WriteCalibration(w, res, reports.Options{})
		}})
	}
	// All or none: a failure writing one output (say, --evidence in a
	// missing folder) leaves the model file and the others as they were.
	if err := atomicfile.WriteAll(outs...); err != nil {
		return err
	}
	written := make([]string, len(outs))
	for i, f := range outs {
		written[i] = f.Path
	}
	m := res.Metrics
	fmt.Fprintf(e.stdout, "calibrated %s on %d training leads, tested on %d newer leads (%d left out: outcome window open)\n",
		res.Target, m.NTrain, m.NTest, res.ExcludedImmature)
	fmt.Fprintf(e.stdout, "test AUC %.3f (95%% CI %.3f–%.3f), Brier %.4f, half-life %s\n",
		m.AUCTest, m.AUCTestCILow, m.AUCTestCIHigh, m.Brier, halfLifeText(res.Options.HalfLifeDays))
	fmt.Fprintf(e.stdout, "threshold %d points (p = %.3f, %s): %.1f MQLs/month, precision %.3f, recall %.3f\n",
		res.Threshold.Points, res.Threshold.Probability, res.Threshold.Rule,
		res.Threshold.MQLsPerMonth, res.Threshold.Precision, res.Threshold.Recall)
	if bt := res.Backtest; bt != nil {
		fmt.Fprintf(e.stdout, "current model: %.1f MQLs/month, %d wins captured; proposed: %.1f MQLs/month, %d wins captured\n",
			bt.Current.MQLsPerMonth, bt.Current.WinsCaptured, bt.Proposed.MQLsPerMonth, bt.Proposed.WinsCaptured)
	}
	if n := len(res.Warnings); n > 0 {
		fmt.Fprintf(e.stdout, "%d warning(s); see --json or --evidence\n", n)
	}
	for _, p := range written {
		fmt.Fprintf(e.stdout, "wrote %s\n", printable(p))
	}
	return nil
}

func halfLifeText(days float64) string {
	if days == 0 {
		return "none"
	}
	return fmt.Sprintf("%g days", days)
}

// calibrateHint adds what the user can do to the errors a calibration can end with.
func calibrateHint(err error, o calibrateOptions) error {
	switch {
	case errors.Is(err, calibrate.ErrSingleClass):
		return fmt.Errorf("%w; check that outcomes (or stages, for --target sql) are loaded, or try another --target or --horizon", err)
	case errors.Is(err, calibrate.ErrEmptyData):
		return fmt.Errorf("%w; load more history or shorten --horizon (now %g days)", err, o.horizon)
	case errors.Is(err, calibrate.ErrUnknownFeature):
		return fmt.Errorf("%w; fix the names in %s", err, o.current)
	}
	return err
}

// readModel parses a model file.
func readModel(path string) (*calibrate.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	defer f.Close()
	m, err := calibrate.ParseModel(f)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	return m, nil
}
