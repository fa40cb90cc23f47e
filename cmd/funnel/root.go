package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/funnel-dev/funnel/queries"
)

// Exit codes of the CLI contract.
const (
	exitOK      = 0
	exitFailure = 1 // a failure the user can fix: bad file, bad data, missing column
	exitUsage   = 2 // unknown flag, missing argument
)

// env is what every subcommand gets: where to write and whether progress
// may be shown.
type env struct {
	stdout io.Writer
	stderr io.Writer
	// progress is true when stderr is a terminal; progress output is shown
	// only then.
	progress bool
	// memoryLimit and tempDir are the global --memory-limit and --temp-dir
	// flags: DuckDB's memory cap and where it spills beyond it.
	memoryLimit, tempDir string
}

// storeOptions returns the options to open the workspace with, carrying the
// global memory and spill settings.
func (e *env) storeOptions(readOnly bool) queries.Options {
	return queries.Options{ReadOnly: readOnly, MemoryLimit: e.memoryLimit, TempDir: e.tempDir}
}

// usageError marks an error as a usage error (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// run executes the CLI with args and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, progress: isTerminal(stderr)}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	msg := oneLine(err.Error())
	if ctx.Err() != nil {
		// Canceled (Ctrl-C): duckdb-go joins DuckDB's own "INTERRUPT Error"
		// line to the context's error; the first line says what was canceled.
		msg, _, _ = strings.Cut(err.Error(), "\n")
		if !strings.Contains(msg, "cancel") {
			msg += " (canceled)"
		}
	}
	fmt.Fprintf(stderr, "error: %s\n", printable(msg))
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailure
}

// oneLine turns a multi-line error (DuckDB adds hints and a dump of its CSV
// sniffer's settings after a blank line) into the one line the CLI prints:
// the lines before the first blank line, joined.
func oneLine(msg string) string {
	head, _, _ := strings.Cut(strings.TrimSpace(msg), "\n\n")
	lines := strings.Split(head, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, " — ")
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "funnel",
		Short: "B2B funnel analytics and lead-scoring calibration on an embedded DuckDB file",
		Long: `funnel loads leads, events, stage history and outcomes exported from a CRM
into one DuckDB file, reports MQL→SAL→SQL→won conversion by channel, action
and month, and calibrates lead-scoring weights and the MQL threshold by
logistic regression, with the evidence to trust them.`,
		Example: `  funnel demo --dir ./funnel-demo
  funnel load --db funnel.duckdb --leads leads.csv --events events.parquet
  funnel report --db funnel.duckdb --out report.html --json report.json`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&e.memoryLimit, "memory-limit", "", "cap DuckDB's memory, e.g. 2GB (default: 80% of RAM); bigger work spills to --temp-dir")
	pf.StringVar(&e.tempDir, "temp-dir", "", "folder DuckDB spills to beyond --memory-limit (default: next to the database)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageError{err}
	})
	root.AddCommand(
		newDemoCmd(e),
		newGenCmd(e),
		newLoadCmd(e),
		newStatusCmd(e),
		newReportCmd(e),
		newCalibrateCmd(e),
		newScoreCmd(e),
		newConvertCmd(e),
	)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(root.FlagErrorFunc())
	}
	root.Args = func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unknown command %q; run 'funnel --help'", args[0])
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	return root
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

// requireFlags returns a usage error naming the first required flag not set.
func requireFlags(cmd *cobra.Command, names ...string) error {
	for _, n := range names {
		if !cmd.Flags().Changed(n) {
			return usagef("%s needs --%s", cmd.CommandPath(), n)
		}
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
