package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestLoadGenerated40kTwice is issue 2's acceptance check: a 40k-lead
// generated dataset loaded twice through the CLI leaves the row counts of
// funnel status --json unchanged, and they equal the generator's own counts.
func TestLoadGenerated40kTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads 40k leads twice")
	}
	data := filepath.Join(t.TempDir(), "data")
	if code, _, stderr := runCLI(t, "gen", "--out", data, "--leads", "40000", "--seed", "3"); code != exitOK {
		t.Fatalf("gen exit %d: %s", code, stderr)
	}
	want := map[string]int64{
		"leads":    csvDistinctRows(t, filepath.Join(data, "leads.csv")),
		"events":   csvDistinctRows(t, filepath.Join(data, "events.csv")),
		"stages":   csvDistinctRows(t, filepath.Join(data, "stages.csv")),
		"outcomes": csvDistinctRows(t, filepath.Join(data, "outcomes.csv")),
	}
	db := filepath.Join(t.TempDir(), "w.duckdb")
	args := []string{"load", "--db", db,
		"--leads", filepath.Join(data, "leads.csv"),
		"--events", filepath.Join(data, "events.csv"),
		"--stages", filepath.Join(data, "stages.csv"),
		"--outcomes", filepath.Join(data, "outcomes.csv")}
	for round := 1; round <= 2; round++ {
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("load %d exit %d: %s", round, code, stderr)
		}
		got := statusCounts(t, db)
		for k, n := range want {
			if got[k] != n {
				t.Errorf("after load %d: %s = %d, want %d (distinct data rows in the CSV)", round, k, got[k], n)
			}
		}
	}
}

// csvDistinctRows counts the distinct data lines of a generated CSV file:
// what a load keeps, since a row repeated exactly (the generator can draw two
// email opens of one lead in the same second) is a duplicate and skipped. The
// generator writes no quoted line breaks.
func csvDistinctRows(t *testing.T, path string) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
	seen := make(map[string]bool, len(lines))
	for _, l := range lines[1:] {
		seen[string(l)] = true
	}
	return int64(len(seen))
}
