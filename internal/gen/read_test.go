package gen

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/internal/gen/oracle"
)

// Generated files are read back by the independent oracle (its own CSV,
// YAML and timestamp reading, nothing from the generator's internals),
// which also recomputes each lead's true logit from truth.yaml.

// dataset is a generated data set as the oracle reads it, with truth.yaml
// also parsed by this package (for the fields only gen's Truth has).
type dataset struct {
	*oracle.Dataset
	truth *Truth
}

func loadDataset(t *testing.T, dir string) *dataset {
	t.Helper()
	truth, err := LoadTruth(filepath.Join(dir, TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	d, err := oracle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &dataset{Dataset: d, truth: truth}
}

// firstStage returns the first entry of l into any of names, or the zero
// time.
func firstStage(l *oracle.Lead, names ...string) time.Time {
	for _, s := range l.Stages { // sorted by time
		if slices.Contains(names, s.Name) {
			return s.At
		}
	}
	return time.Time{}
}

func reached(l *oracle.Lead, stage string) bool { return !firstStage(l, stage).IsZero() }

// salesStages are the sales-owned stages of the generated data.
var salesStages = []string{"sal", "sql", "opportunity"}
