package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newScoreCmd is a placeholder until its issue lands.
func newScoreCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "score",
		Short: "not built yet",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("funnel score is not built yet")
		},
	}
}
