package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/calibrate"
	"github.com/funnel-dev/funnel/internal/atomicfile"
	"github.com/funnel-dev/funnel/internal/gen"
)

// genOptions are the flags of funnel gen.
type genOptions struct {
	out    string // folder to write into (created if needed)
	leads  int    // number of leads
	months int    // months of lead creation before the end date
	seed   uint64 // random seed; 0 means 1
}

func newGenCmd(e *env) *cobra.Command {
	o := genOptions{leads: gen.DefaultLeads, months: gen.DefaultMonths, seed: gen.DefaultSeed}
	cmd := &cobra.Command{
		Use:   "gen --out DIR [--leads N] [--months M] [--seed S]",
		Short: "Generate synthetic funnel data with a known true scoring model",
		Long: `gen writes realistic synthetic B2B funnel data in the input contract:
leads.csv, events.csv, stages.csv and outcomes.csv, plus truth.yaml, the
planted model the outcomes were drawn from, and current.yaml, the scoring
rules the simulated team says it uses. The truth is stated at a fixed age of
the lead (planted_age_days, 7): logit weights of channels, profile
attributes and the actions done in the first 7 days, decayed from day 7.
Stage timing follows the outcome (winners reach sales sooner), so a
leak-free calibration on landmark snapshots at day 7 recovers the weights.
Traps for a wrong method: email_open and page_view have no effect but go on
all the lead's life; winners do many high-intent actions after sales
accepts them; lead_quality is filled in by sales, nearly only for winners.
The data ends on 2026-06-30; the same flags always give byte-identical
files. The paths written are printed, one per line.
` + outputsHelp,
		Example: `  funnel gen --out ./synthetic
  funnel gen --out ./big --leads 1000000 --months 36 --seed 7`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "out"); err != nil {
				return err
			}
			return runGen(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "folder to write the files into (created if needed)")
	f.IntVar(&o.leads, "leads", o.leads, "number of leads")
	f.IntVar(&o.months, "months", o.months, "months of lead creation before the end of the data")
	f.Uint64Var(&o.seed, "seed", o.seed, "random seed (0 means 1)")
	return cmd
}

// runGen generates the data set described by o and prints the paths written.
func runGen(ctx context.Context, e *env, o genOptions) error {
	if o.out == "" {
		return usagef("gen needs --out DIR")
	}
	if o.leads < 1 {
		return usagef("--leads must be at least 1, got %d", o.leads)
	}
	if o.months < 1 || o.months > 1200 {
		return usagef("--months must be between 1 and 1200, got %d", o.months)
	}
	if err := checkGenOutputs("--out", o.out); err != nil {
		return err
	}
	cfg := gen.Config{Leads: o.leads, Months: o.months, Seed: o.seed}
	if e.progress {
		cfg.Progress = func(done, total int) {
			fmt.Fprintf(e.stderr, "\rgen: %d of %d leads", done, total)
			if done == total {
				fmt.Fprintln(e.stderr)
			}
		}
	}
	sum, err := gen.Generate(ctx, cfg, o.out)
	if err != nil {
		return err
	}
	current := filepath.Join(o.out, currentRulesFile)
	if err := writeCurrentRules(current, gen.Current()); err != nil {
		return err
	}
	for _, p := range append(sum.Files, current) {
		fmt.Fprintln(e.stdout, printable(p))
	}
	return nil
}

// checkGenOutputs checks the folder gen writes into, given to flag, and the
// files it writes there (checkOutputs).
func checkGenOutputs(flag, dir string) error {
	if err := checkOutputDir(flag, dir); err != nil {
		return err
	}
	var outs []pathFlag
	for _, name := range []string{gen.LeadsFile, gen.EventsFile, gen.StagesFile, gen.OutcomesFile, gen.TruthFile, currentRulesFile} {
		outs = append(outs, pathFlag{flag: flag, path: filepath.Join(dir, name)})
	}
	return checkOutputs(nil, outs)
}

// currentRulesFile is the model file gen writes with the scoring rules the
// simulated team uses today, for calibrate --current.
const currentRulesFile = "current.yaml"

// writeCurrentRules writes the generator's current scoring rules as a model
// file that funnel score and calibrate --current read.
func writeCurrentRules(path string, r gen.CurrentRules) error {
	m := &calibrate.Model{
		Version:            1,
		Target:             "won",
		PointsToDoubleOdds: calibrate.DefaultPointsToDoubleOdds,
		ObserveDays:        calibrate.DefaultObserveDays,
		Threshold:          r.Threshold,
		Actions:            map[string]calibrate.ActionPoints{},
		Channels:           r.Channels,
		Attributes:         r.Attributes,
	}
	for a, p := range r.Actions {
		m.Actions[a] = calibrate.ActionPoints{Points: p}
	}
	return atomicfile.Write(path, m.WriteYAML)
}
