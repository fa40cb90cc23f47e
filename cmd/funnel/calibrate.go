package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newCalibrateCmd is a placeholder until its issue lands.
func newCalibrateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "calibrate",
		Short: "not built yet",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("funnel calibrate is not built yet")
		},
	}
}
