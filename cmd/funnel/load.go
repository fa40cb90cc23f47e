package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newLoadCmd is a placeholder until its issue lands.
func newLoadCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "load",
		Short: "not built yet",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("funnel load is not built yet")
		},
	}
}
