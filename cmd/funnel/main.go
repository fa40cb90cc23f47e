// Command funnel is the B2B funnel analytics and lead-scoring calibration
// engine: it loads CRM exports into an embedded DuckDB file, reports
// MQL→SAL→SQL→won conversion, and calibrates scoring weights by logistic
// regression. Run `funnel --help` for the subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
