package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/calibrate"
	"github.com/funnel-dev/funnel/internal/atomicfile"
	"github.com/funnel-dev/funnel/reports"
)

// calibrateOptions are the flags of funnel calibrate.
type calibrateOptions struct {
	db        string
	out       string
	evidence  string
	json      string
	current   string
	target    string
	observe   float64
	landmarks string
	keep      []string
	mqlStages []string
	horizon   float64
	halfLife  string
	l2        float64
	attrs     []string
	numeric   string
	stages    []string
	// transform is count, log1p or yesno; cap is the cap on action values
	// (0 default rule, < 0 none).
	transform string
	cap       float64
	pdo       float64
	capacity  float64
	precision float64
	value     float64
	cost      float64
	// split is time or random ("" lets calibrate choose); seed seeds the
	// random split; testShare is the share of mature leads held out;
	// minLeads the fewest training leads a level needs.
	split     string
	seed      uint64
	testShare float64
	minLeads  int
	// maxLeads caps the leads read (0: every lead).
	maxLeads int
	labels   string
	export   string
}

func newCalibrateCmd(e *env) *cobra.Command {
	o := calibrateOptions{}
	cmd := &cobra.Command{
		Use:   "calibrate --db FILE --out model.yaml [flags]",
		Short: "Fit scoring weights and the MQL threshold from history",
		Long: `calibrate fits a logistic regression of the target (won, or reached SQL,
within --horizon days of creation) on landmark snapshots: every lead is
looked at when it is 1, 3, 7, 14 and 30 days old (--landmarks; by default
the ages up to --observe days), as long as it is still in marketing's hands
(not yet in a --sales-stages stage, not closed) and the moment is inside the
data. A snapshot's features are only the events before that moment, decayed
from it: exactly what a live score sees, and never a window whose end
depends on the outcome. The fit pools the snapshots with shared weights and
one intercept per landmark; standard errors are clustered by lead. A
landmark at which no future winner is still with marketing is dropped, with
a note.

Leads whose outcome window is still open are left out and counted. The older
~70% of mature leads train the model; the newest ~30% (--test-share) test it
out of time (AUC compared within each landmark, with a DeLong CI; Brier
score, calibration, gains). --split random holds out a random share of leads
instead, stratified by target and drawn with --seed (the same seed gives the
same split). The split by time needs dates: when a mature lead has no
created_at, or more than 20% of mature leads share one created_at, it is
refused, and without --split the random split is used with a warning.

A lead without created_at (a flat export) has no age: it is one snapshot of
its channel and attributes, no events; its label is its outcome, and without
an outcome it is open and left out. An empty channel is the level (none), an
empty attribute (missing); levels with fewer than --min-leads training leads
(or 1% of them) are lumped into (other), apart from any real value "other".
A level seen only in the test period scores as the baseline and is counted
in the warnings.

A feature that looks filled in after the outcome (a level converting at
≥ 99% or ≤ 0.5%, a field filled in mostly for winners, or one that alone
reaches AUC 0.95) is left out and named; --keep puts it back. Weights become
points (--pdo: 10 points double the odds); when rounding to whole points
loses more than 0.005 test AUC, a finer scale is chosen and said. The MQL
threshold is chosen on the test period by --capacity, --precision or
--value/--cost; with none given it keeps today's MQL volume (the leads that
entered an --mql-stages stage per month), or, when the data has no MQL
stage, the highest expected value with 1 per target and the training target
rate per MQL. The half-life of action decay is searched by profile
likelihood unless --half-life is given.

An --attrs column whose filled values are all numbers is numeric: by default
it is cut into quantile bins of the training leads (at most 10, each with at
least 5% of them), adjacent bins are merged until the target's log-odds rise
or fall steadily, and each bin gets its own points, as credit scorecards do
(--numeric bins-raw keeps the quantile bins unmerged; --numeric linear gives
points per unit instead). A lead without a value gets the points of its own
"missing" bin. value:ACTION in --attrs is the sum of the value column of the
ACTION events before the snapshot (minutes attended, pages). A column that
is mostly numbers but holds some text stays categorical, with a note.

It writes the model file (--out), and optionally the evidence page
(--evidence), the numbers as JSON (--json), and a backtest of the model you
use today (--current) against the proposed one. --labels renames channels,
actions and attributes on the page (YAML lines such as "webinar: Webinar
(live)").
` + exportHelp + "\n" + outputsHelp,
		Example: `  funnel calibrate --db funnel.duckdb --out model.yaml --json calibration.json
  funnel calibrate --db funnel.duckdb --out model.yaml --evidence calibration.html \
      --current current.yaml --capacity 400 --attrs title,company_size
  funnel calibrate --db funnel.duckdb --out model.yaml --target sql --half-life none
  funnel calibrate --db funnel.duckdb --out model.yaml --attrs industry,minutes_on_site,value:webinar --numeric linear
  funnel calibrate --db funnel.duckdb --out model.yaml --landmarks 7 --attrs lead_quality --keep attr:lead_quality
  funnel calibrate --db flat.duckdb --out model.yaml --split random --seed 7 --attrs source,country --min-leads 50`,
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
	f.StringVar(&o.labels, "labels", "", labelsHelp)
	f.StringVar(&o.export, "export", "", "write every table of calibration.json into this `DIR` as CSV and Parquet")
	f.StringVar(&o.current, "current", "", "model file in use today, backtested against the proposed one")
	f.StringVar(&o.target, "target", "won", "what to predict: won or sql")
	f.Float64Var(&o.observe, "observe", calibrate.DefaultObserveDays, "latest default landmark age, in days after creation")
	f.StringVar(&o.landmarks, "landmarks", "", "lead ages in days at which leads are looked at, e.g. 1,3,7,14,30 (default: 1,3,7,14,30,60,90 up to --observe)")
	f.StringSliceVar(&o.keep, "keep", nil, "features to fit even when they look like leaks, e.g. attr:lead_quality,channel,action:demo_request")
	f.StringSliceVar(&o.mqlStages, "mql-stages", calibrate.DefaultMQLStages(), "stages that mark today's MQLs (the default threshold keeps their monthly volume)")
	f.Float64Var(&o.horizon, "horizon", calibrate.DefaultHorizonDays, "outcome window in days after creation")
	f.StringVar(&o.halfLife, "half-life", "auto", "decay of actions: auto (searched), none, or days")
	f.Float64Var(&o.l2, "l2", 0, "ridge penalty (0: plain maximum likelihood, equal to statsmodels Logit)")
	f.StringSliceVar(&o.attrs, "attrs", nil, "profile attributes to use, comma-separated: one-hot levels, or numeric (see --numeric) when every filled value is a number; value:ACTION is the sum of the action's event values before the snapshot")
	f.StringVar(&o.numeric, "numeric", calibrate.NumericBins, "how numeric --attrs enter: bins (quantile bins on training leads, at most 10, each ≥ 5% of them, merged until the log-odds are monotone; points per bin), bins-raw (the same bins without the monotone merging) or linear (points per unit); missing values get their own points")
	f.StringSliceVar(&o.stages, "sales-stages", calibrate.DefaultSalesStages(), "sales-owned stages: a lead has snapshots only before its first entry into one")
	f.StringVar(&o.transform, "transform", calibrate.TransformCount, "how action counts enter: count, log1p or yesno")
	f.Float64Var(&o.cap, "cap", 0, "cap on action values (0: larger of 10 and the 99th percentile; negative: none)")
	f.Float64Var(&o.pdo, "pdo", calibrate.DefaultPDO, "points that double the odds")
	f.Float64Var(&o.capacity, "capacity", 0, "threshold rule: MQLs per month sales can handle")
	f.Float64Var(&o.precision, "precision", 0, "threshold rule: target rate among MQLs, in (0,1]")
	f.Float64Var(&o.value, "value", 0, "threshold rule: value of one target reached (with --cost; default 1 when no rule is given)")
	f.Float64Var(&o.cost, "cost", 0, "threshold rule: cost of one MQL handed to sales (with --value; default the training target rate when no rule is given)")
	f.StringVar(&o.split, "split", "", "how to hold out test leads: time (the newest; default when dates allow) or random (stratified by target)")
	f.Uint64Var(&o.seed, "seed", calibrate.DefaultSeed, "seed of --split random (a positive integer; the same seed gives the same split)")
	f.Float64Var(&o.testShare, "test-share", calibrate.DefaultTestShare, "share of mature leads held out for the test, in (0,1)")
	f.IntVar(&o.minLeads, "min-leads", calibrate.DefaultMinLeads, "fewest training leads an action or level needs; rarer levels are lumped into (other)")
	f.IntVar(&o.maxLeads, "max-leads", calibrate.DefaultMaxLeads, "most leads to read: a workspace with more is calibrated on every k-th lead in load order (said in a warning, per-month figures scaled to every lead); 0 reads every lead")
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
	if o.numeric != calibrate.NumericBins && o.numeric != calibrate.NumericBinsRaw && o.numeric != calibrate.NumericLinear {
		return usagef("--numeric %q: use bins, bins-raw or linear", o.numeric)
	}
	if o.precision < 0 || o.precision > 1 {
		return usagef("--precision %g: use a rate in (0,1]", o.precision)
	}
	if o.capacity < 0 {
		return usagef("--capacity %g is negative", o.capacity)
	}
	if o.split != "" && o.split != calibrate.SplitTime && o.split != calibrate.SplitRandom {
		return usagef("--split %q: use time or random", o.split)
	}
	if o.seed == 0 {
		return usagef("--seed 0: use a positive integer")
	}
	if !(o.testShare > 0 && o.testShare < 1) {
		return usagef("--test-share %g: use a share between 0 and 1, e.g. 0.3", o.testShare)
	}
	if o.maxLeads < 0 {
		return usagef("--max-leads %d: use a number of leads, or 0 for every lead", o.maxLeads)
	}
	if o.minLeads < 1 {
		return usagef("--min-leads %d: use a positive number of leads", o.minLeads)
	}
	inputs := append(dbInputs(o.db), pathFlag{flag: "--current", path: o.current}, pathFlag{flag: "--labels", path: o.labels})
	outputs := []pathFlag{{flag: "--out", path: o.out}, {flag: "--json", path: o.json}, {flag: "--evidence", path: o.evidence}}
	if err := checkOutputs(inputs, outputs); err != nil {
		return err
	}
	if o.export != "" {
		if err := checkOutputDir("--export", o.export); err != nil {
			return err
		}
	}
	labels, err := readLabels(o.labels)
	if err != nil {
		return err
	}
	var landmarks []float64
	if o.landmarks != "" {
		if landmarks, err = calibrate.ParseLandmarks(o.landmarks); err != nil {
			return usagef("--landmarks: %v", err)
		}
	}
	opts := calibrate.Options{
		Target: o.target, ObserveDays: o.observe, HorizonDays: o.horizon, SalesStages: o.stages,
		Landmarks: landmarks, Keep: o.keep, MQLStages: o.mqlStages,
		HalfLife: hl, Transform: o.transform, Cap: o.cap, Attributes: o.attrs, Numeric: o.numeric, L2: o.l2, PDO: o.pdo,
		Capacity: o.capacity, Precision: o.precision, Value: o.value, Cost: o.cost,
		Split: o.split, Seed: o.seed, TestShare: o.testShare, MinLeads: o.minLeads, MaxLeads: o.maxLeads,
	}
	if o.maxLeads == 0 {
		opts.MaxLeads = -1 // every lead
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
	// The export first: a refused folder (a file funnel did not write)
	// stops the run before the model file and the other outputs are written.
	exported, err := exportResult(ctx, o.export, res)
	if err != nil {
		return err
	}
	for _, n := range res.NumericNotes {
		fmt.Fprintln(e.stderr, "note: "+printable(n))
	}
	outs := []atomicfile.File{{Path: o.out, Write: model.WriteYAML}}
	if o.json != "" {
		outs = append(outs, atomicfile.File{Path: o.json, Write: func(w io.Writer) error { return reports.WriteJSON(w, res) }})
	}
	if o.evidence != "" {
		// The evidence page is rendered by the reports package.
		outs = append(outs, atomicfile.File{Path: o.evidence, Write: func(w io.Writer) error {
			return reports.WriteCalibration(w, res, reports.Options{Labels: labels})
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
	written = append(written, exported...)
	m := res.Metrics
	tested := "newer leads"
	if res.Options.Split == calibrate.SplitRandom {
		tested = fmt.Sprintf("leads drawn at random (seed %d)", res.Options.Seed)
	}
	fmt.Fprintf(e.stdout, "calibrated %s on %d training leads (%d snapshots at ages %s days), tested on %d %s (%d snapshots; %d left out: outcome window open)\n",
		res.Target, res.Leads.Train, m.NTrain, daysText(res.Options.Landmarks), res.Leads.Test, tested, m.NTest, res.ExcludedImmature)
	if k := res.Leads.SampleEvery; k > 1 {
		fmt.Fprintf(e.stdout, "sample: 1 lead in every %d in load order, of %d in the workspace (--max-leads %d; 0 reads every lead); MQLs per month are scaled to every lead\n",
			k, res.Leads.InStore, res.Options.MaxLeads)
	}
	fmt.Fprintf(e.stdout, "test AUC %.3f (95%% CI %.3f–%.3f; in whole points %.3f at %g points to double the odds), Brier %.4f, half-life %s\n",
		m.AUCTest, m.AUCTestCILow, m.AUCTestCIHigh, m.AUCTestPoints, res.Options.PointsToDoubleOdds, m.Brier, halfLifeText(res.Options.HalfLifeDays))
	fmt.Fprintf(e.stdout, "threshold %d points (p = %.3f, %s): %.1f MQLs/month, precision %.3f, recall %.3f\n",
		res.Threshold.Points, res.Threshold.Probability, res.Threshold.Rule,
		res.Threshold.MQLsPerMonth, res.Threshold.Precision, res.Threshold.Recall)
	if t := res.Threshold; t.TodayMQLsPerMonth > 0 {
		fmt.Fprintf(e.stdout, "today: %.1f MQLs/month, precision %.3f; proposed: %.1f MQLs/month, precision %.3f\n",
			t.TodayMQLsPerMonth, t.TodayPrecision, t.MQLsPerMonth, t.Precision)
	}
	for _, x := range res.ExcludedFeatures {
		fmt.Fprintf(e.stdout, "left out as a possible leak: %s (%s)\n", x.Feature, x.Detail)
	}
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

// daysText formats landmark ages as "1, 3, 7".
func daysText(days []float64) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.FormatFloat(d, 'f', -1, 64)
	}
	return strings.Join(parts, ", ")
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
	case errors.Is(err, calibrate.ErrUnknownFeature) && o.current != "":
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
