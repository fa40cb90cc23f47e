package queries

import (
	"context"
	"path/filepath"
	"testing"
)

// TestLoadLargerThanMemoryLimit loads a 175 MB file with a 128 MB memory limit:
// staging, checking and inserting must spill to the
// temporary directory instead of failing.
func TestLoadLargerThanMemoryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and loads a 4M-row file")
	}
	dir := t.TempDir()
	events := filepath.Join(dir, "events.csv")
	gen := openTestStore(t)
	const n = 4_000_000 // about 175 MB of CSV
	copyTo(t, gen, benchEventsQuery(n, true), events, "csv")
	s, err := Open(context.Background(), filepath.Join(dir, "small.duckdb"), Options{MemoryLimit: "128MB", TempDir: filepath.Join(dir, "spill")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res := mustLoad(t, s, LoadRequest{Events: events})
	if got := res.Files[0].Added; got != n {
		t.Fatalf("added %d events, want %d", got, n)
	}
	// A second load of the same file compares against the stored rows.
	res = mustLoad(t, s, LoadRequest{Events: events})
	if f := res.Files[0]; f.Added != 0 || f.Duplicates != n {
		t.Fatalf("second load added %d, duplicates %d; want 0, %d", f.Added, f.Duplicates, n)
	}
}
