package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newReportCmd is a placeholder until its issue lands.
func newReportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "report",
		Short: "not built yet",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("funnel report is not built yet")
		},
	}
}
