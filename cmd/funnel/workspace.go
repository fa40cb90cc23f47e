package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/funnel-dev/funnel/queries"
)

// openWorkspace opens an existing workspace read-only, for the commands that
// only read it (status, report, calibrate, score). A missing file is an error
// with a hint, never a new empty database.
func openWorkspace(ctx context.Context, e *env, path string) (*queries.Store, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist; create it with funnel load --db %s", path, path)
		}
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return queries.Open(ctx, path, e.storeOptions(true))
}
