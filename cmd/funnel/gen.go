package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newGenCmd is a placeholder until its issue lands.
func newGenCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "gen",
		Short: "not built yet",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("funnel gen is not built yet")
		},
	}
}
