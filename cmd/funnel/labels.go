package main

import (
	"fmt"
	"os"

	"github.com/funnel-dev/funnel/reports"
)

// labelsHelp is the --labels flag's help, the same for every command that
// draws a page.
const labelsHelp = "YAML `FILE` of name: label lines renaming channels, actions, attributes or features on the page"

// readLabels reads the labels file given to --labels; an empty path is no
// labels. Errors name the file and the line.
func readLabels(path string) (reports.Labels, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("labels %s: %w", path, err)
	}
	defer f.Close()
	l, err := reports.ParseLabels(f)
	if err != nil {
		return nil, fmt.Errorf("labels %s: %w", path, err)
	}
	return l, nil
}
