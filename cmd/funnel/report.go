package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/analysis"
	"github.com/funnel-dev/funnel/calibrate"
	"github.com/funnel-dev/funnel/internal/atomicfile"
	"github.com/funnel-dev/funnel/reports"
)

// reportOptions are the flags of funnel report.
type reportOptions struct {
	db       string // workspace file
	jsonPath string // report.json to write; empty: none
	outPath  string // report.html to write; empty: none
	from, to string // first and last cohort month, YYYY-MM; empty: unbounded
	month    string // month to compare, YYYY-MM; empty: latest mature month
	window   int    // conversion window in days; 0: from the data
	landmark int    // age in days at which by_action looks at leads; 0: from the data
	by       string // profile attribute to break down by; empty: none
	stages   string // comma-separated funnel stages; empty: default
	labels   string // labels file renaming names on the page; empty: none
	export   string // folder to write every table into as CSV and Parquet; empty: none
	// calibration is a calibration.json whose action weights are shown
	// beside by_action's lifts as adjusted effects; empty: none.
	calibration string
}

func newReportCmd(e *env) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report --db FILE [--json report.json] [--out report.html] [flags]",
		Short: "Funnel conversion by channel, action and month, with maturity, time in stage and recycling",
		Long: `report computes the funnel from a workspace: distinct leads that reached each
stage (a lead reaching a later stage counts in the earlier ones too), by
channel, by action, by cohort month of creation and optionally by a profile
attribute; conversion within a window (default: the 90th percentile of days
from creation to win) with 95% Wilson intervals, young cohorts flagged
immature with the share of leads still open; stage entries by calendar month;
a month compared with the month and the year before; time in stage;
recycling; and data-quality findings. A summary goes to stdout; --json
writes every table (stable keys), --out the HTML dashboard.

By action looks at every lead at the same age, the landmark (--landmark
DAYS; default: the median age in days at which leads first reached MQL,
rounded to a whole day, at least 1; 7 when no lead reached it). Among the
leads not yet MQL (nor past it) at that age, and whose landmark is within
the data, it compares those that had done the action before it with those
that had not: conversion to MQL and each later stage within the window,
the lift (ratio) with its 95% interval (Katz) and a z-test p-value.
` + exportHelp + "\n" + outputsHelp,
		Example: `  funnel report --db funnel.duckdb --json report.json
  funnel report --db funnel.duckdb --out report.html --from 2025-01 --to 2025-12 --window 120
  funnel report --db funnel.duckdb --by industry --stages lead,mql,sql,won --month 2025-06
  funnel report --db funnel.duckdb --json report.json --landmark 7
  funnel report --db funnel.duckdb --out report.html --export report-tables`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "db"); err != nil {
				return err
			}
			return runReport(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.db, "db", "", "workspace DuckDB file (required)")
	f.StringVar(&o.jsonPath, "json", "", "write the report's tables as JSON to this file")
	f.StringVar(&o.outPath, "out", "", "write the HTML dashboard to this file")
	f.StringVar(&o.from, "from", "", "first cohort month included, YYYY-MM")
	f.StringVar(&o.to, "to", "", "last cohort month included, YYYY-MM")
	f.StringVar(&o.month, "month", "", "cohort month to compare with the month and year before, YYYY-MM (default: latest mature month)")
	f.IntVar(&o.window, "window", 0, "conversion window in days (default: 90th percentile of days to win)")
	f.StringVar(&o.by, "by", "", "also break the funnel down by this profile attribute")
	f.IntVar(&o.landmark, "landmark", 0, "age in days at which by_action compares leads (default: median age at first MQL, at least 1)")
	f.StringVar(&o.labels, "labels", "", labelsHelp)
	f.StringVar(&o.stages, "stages", strings.Join(analysis.DefaultStages(), ","), "funnel stages in order, comma-separated")
	f.StringVar(&o.export, "export", "", "write every table of the report into this `DIR` as CSV and Parquet")
	f.StringVar(&o.calibration, "calibration", "", "calibration.json of funnel calibrate: show each action's adjusted effect (its odds ratio with the lead's other actions, channel and profile held fixed) beside its lift")
	return cmd
}

// reportAnalysisOptions turns the flags into analysis options; errors are
// usage errors.
func reportAnalysisOptions(o reportOptions) (analysis.Options, error) {
	var opts analysis.Options
	if o.window < 0 {
		return opts, usagef("--window must be a positive number of days, got %d", o.window)
	}
	opts.WindowDays = o.window
	if o.landmark < 0 {
		return opts, usagef("--landmark must be a positive number of days, got %d", o.landmark)
	}
	opts.LandmarkDays = o.landmark
	opts.By = o.by
	for _, m := range []struct {
		flag, value string
		dst         *time.Time
	}{{"from", o.from, &opts.From}, {"to", o.to, &opts.To}, {"month", o.month, &opts.Month}} {
		if m.value == "" {
			continue
		}
		t, err := analysis.ParseMonth(m.value)
		if err != nil {
			return opts, usagef("--%s: %v", m.flag, err)
		}
		*m.dst = t
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && opts.To.Before(opts.From) {
		return opts, usagef("--to %s is before --from %s", o.to, o.from)
	}
	if o.stages != "" {
		for _, s := range strings.Split(o.stages, ",") {
			opts.Model.Stages = append(opts.Model.Stages, strings.TrimSpace(s))
		}
		// The qualified stage is mql when the funnel has it, else the
		// second stage.
		for _, s := range opts.Model.Stages {
			if strings.EqualFold(s, "mql") {
				opts.Model.Qualified = s
			}
		}
	}
	return opts, nil
}

// runReport computes the report and writes the summary, --json and --out.
func runReport(ctx context.Context, e *env, o reportOptions) error {
	opts, err := reportAnalysisOptions(o)
	if err != nil {
		return err
	}
	inputs := append(dbInputs(o.db), pathFlag{flag: "--labels", path: o.labels})
	var effects map[string]analysis.AdjustedEffect
	if o.calibration != "" {
		inputs = append(inputs, pathFlag{flag: "--calibration", path: o.calibration, what: "the calibration given to --calibration"})
		if effects, err = readAdjustedEffects(o.calibration); err != nil {
			return err
		}
	}
	if err := checkOutputs(inputs, []pathFlag{{flag: "--json", path: o.jsonPath}, {flag: "--out", path: o.outPath}}); err != nil {
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
	st, err := openWorkspace(ctx, e, o.db)
	if err != nil {
		return err
	}
	defer st.Close()
	if e.progress {
		fmt.Fprintf(e.stderr, "computing the funnel from %s…\n", printable(o.db))
		opts.Trace = func(step string, elapsed time.Duration) {
			fmt.Fprintf(e.stderr, "  %-20s %v\n", step, elapsed.Round(time.Millisecond))
		}
	}
	r, err := analysis.Compute(ctx, st, opts)
	if errors.Is(err, analysis.ErrStageModel) {
		return usagef("--stages: %v", err)
	}
	if err != nil {
		return fmt.Errorf("report %s: %w", o.db, err)
	}
	if effects != nil {
		if missing := r.AttachAdjusted(effects); len(missing) > 0 {
			fmt.Fprintf(e.stderr, "note: the calibration has no weight for %s (too rare, left out, or not in it)\n", strings.Join(missing, ", "))
		}
	}
	// The export first: its refusal of a file funnel did not write comes
	// before any other output is written.
	exported, err := exportResult(ctx, o.export, r)
	if err != nil {
		return err
	}
	var outs []atomicfile.File
	if o.jsonPath != "" {
		outs = append(outs, atomicfile.File{Path: o.jsonPath, Write: func(w io.Writer) error { return reports.WriteJSON(w, r) }})
	}
	if o.outPath != "" {
		outs = append(outs, funnelHTMLFile(o.outPath, r, labels))
	}
	// All or none: a failure writing one output leaves the other as it was.
	if err := atomicfile.WriteAll(outs...); err != nil {
		return err
	}
	if err := writeReportSummary(e.stdout, r); err != nil {
		return err
	}
	for _, p := range append([]string{o.jsonPath, o.outPath}, exported...) {
		if p != "" {
			fmt.Fprintf(e.stdout, "wrote %s\n", printable(p))
		}
	}
	return nil
}

// funnelHTMLFile is the HTML dashboard as an output file, stamped with the
// time it was generated.
func funnelHTMLFile(path string, r *analysis.Report, labels reports.Labels) atomicfile.File {
	o := reports.Options{GeneratedAt: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Labels: labels}
	return atomicfile.File{Path: path, Write: func(w io.Writer) error { return reports.WriteFunnel(w, r, o) }}
}

// writeReportSummary prints the funnel by channel and the window to w.
func writeReportSummary(w io.Writer, r *analysis.Report) error {
	fmt.Fprintf(w, "data end %s, conversion window %d days", r.DataEnd.Format("2006-01-02"), r.WindowDays)
	if r.WindowFromData {
		fmt.Fprint(w, " (90th percentile of days to win)")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "channel\t")
	for _, s := range r.Stages {
		fmt.Fprintf(tw, "%s\t", printable(s))
	}
	fmt.Fprintf(tw, "%s in window\topen\t\n", printable(r.Stages[len(r.Stages)-1]))
	row := func(name string, f analysis.Funnel) {
		fmt.Fprintf(tw, "%s\t", printable(name))
		for _, s := range f.Reached {
			fmt.Fprintf(tw, "%d\t", s.Leads)
		}
		won := f.Conversion[len(f.Conversion)-1].FromLead
		fmt.Fprintf(tw, "%.1f%% [%.1f–%.1f]\t%.0f%%\t\n", 100*won.Rate, 100*won.Low, 100*won.High, 100*f.OpenShare)
	}
	for _, c := range r.ByChannel {
		row(c.Channel, c.Funnel)
	}
	row("all", r.Total)
	return tw.Flush()
}

// readAdjustedEffects reads the action effects of a calibration.json in the
// report's terms.
func readAdjustedEffects(path string) (map[string]analysis.AdjustedEffect, error) {
	res, err := calibrate.ReadResult(path)
	if err != nil {
		return nil, fmt.Errorf("--calibration: %w", err)
	}
	out := map[string]analysis.AdjustedEffect{}
	for name, e := range res.ActionEffects() {
		out[name] = analysis.AdjustedEffect{Target: e.Target, OddsRatio: e.OddsRatio, CILow: e.Low, CIHigh: e.High,
			PValue: e.PValue, HalfLifeDays: e.HalfLifeDays, Transform: e.Transform}
	}
	return out, nil
}
