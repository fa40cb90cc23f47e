package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// demoOptions are the flags of funnel demo.
type demoOptions struct {
	dir   string // folder everything is written into
	leads int    // leads to generate
	seed  uint64 // random seed of the generator
}

func newDemoCmd(e *env) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo [--dir DIR]",
		Short: "Run the whole job on built-in synthetic data: gen, load, calibrate, report, score",
		Long: `demo shows the whole job on synthetic data with a known true model, with no
network and nothing to prepare: it generates about 20,000 leads with their
events, stage history and outcomes (funnel gen), loads them into a workspace
database (funnel load), calibrates scoring weights and the MQL threshold,
backtested against the scoring rules the simulated team uses today (funnel
calibrate --current), writes the funnel report with the calibration's
adjusted effect beside each action's lift (funnel report --calibration) and
scores every lead with the new model (funnel score). It prints the paths it wrote; open the .html files in any
browser, offline.

Running it again reuses the folder: the same seed writes the same data, and
loading it again adds nothing.
` + outputsHelp,
		Example: `  funnel demo
  funnel demo --dir /tmp/funnel-demo --leads 50000`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", "funnel-demo", "folder to write into (created if needed)")
	f.IntVar(&o.leads, "leads", 20000, "number of synthetic leads")
	f.Uint64Var(&o.seed, "seed", 1, "random seed of the synthetic data")
	return cmd
}

// runDemo runs the subcommands in order, exactly as a user would type them,
// so the demo uses every default of the real commands. Their own output goes
// to stderr when it is a terminal; stdout gets the paths written.
func runDemo(ctx context.Context, e *env, o demoOptions) error {
	if o.leads <= 0 {
		return usagef("--leads must be positive, got %d", o.leads)
	}
	if err := checkDemoOutputs(o.dir); err != nil {
		return err
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	data := filepath.Join(o.dir, "data")
	path := func(name string) string { return filepath.Join(o.dir, name) }
	db := path("funnel.duckdb")
	steps := [][]string{
		{"gen", "--out", data, "--leads", fmt.Sprint(o.leads), "--seed", fmt.Sprint(o.seed)},
		{"load", "--db", db,
			"--leads", filepath.Join(data, "leads.csv"),
			"--events", filepath.Join(data, "events.csv"),
			"--stages", filepath.Join(data, "stages.csv"),
			"--outcomes", filepath.Join(data, "outcomes.csv")},
		{"calibrate", "--db", db, "--out", path("model.yaml"),
			"--evidence", path("calibration.html"), "--json", path("calibration.json"),
			"--attrs", "title,company_size,email_type",
			"--current", filepath.Join(data, "current.yaml")},
		{"report", "--db", db, "--out", path("report.html"), "--json", path("report.json"),
			"--calibration", path("calibration.json")},
		{"score", "--db", db, "--model", path("model.yaml"), "--out", path("scores.csv")},
	}
	stepOut := io.Discard
	if e.progress {
		stepOut = e.stderr
	}
	sub := &env{stdout: stepOut, stderr: e.stderr, progress: e.progress}
	for _, args := range steps {
		if e.progress {
			fmt.Fprintf(e.stderr, "funnel %s\n", args[0])
		}
		if err := runStep(ctx, sub, args); err != nil {
			return fmt.Errorf("demo, funnel %s: %w", args[0], err)
		}
	}
	for _, name := range append([]string{"data"}, demoFiles()...) {
		fmt.Fprintln(e.stdout, printable(path(name)))
	}
	return nil
}

// demoFiles are the files demo writes in its folder, besides data/, in the
// order it prints them.
func demoFiles() []string {
	return []string{"funnel.duckdb", "report.html", "report.json", "model.yaml", "calibration.html", "calibration.json", "scores.csv"}
}

// checkDemoOutputs checks, before any work, the folder demo writes into,
// the files it writes there and the generated data folder in it.
func checkDemoOutputs(dir string) error {
	if err := checkOutputDir("--dir", dir); err != nil {
		return err
	}
	var outs []pathFlag
	for _, name := range demoFiles() {
		outs = append(outs, pathFlag{flag: "--dir", path: filepath.Join(dir, name)})
	}
	if err := checkOutputs(nil, outs); err != nil {
		return err
	}
	return checkGenOutputs("--dir", filepath.Join(dir, "data"))
}

// runStep runs one subcommand with args, as the root command would.
func runStep(ctx context.Context, e *env, args []string) error {
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	return root.ExecuteContext(ctx)
}
