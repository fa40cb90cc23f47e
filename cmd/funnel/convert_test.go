package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConvertThenLoad converts generated CSV files to Parquet through the
// CLI, loads both forms into two workspaces and compares funnel status: the
// row counts must be equal and equal to the CSV's data lines.
func TestConvertThenLoad(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := runCLI(t, "gen", "--out", data, "--leads", "300", "--months", "6"); code != exitOK {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	kinds := []string{"leads", "events", "stages", "outcomes"}
	csvArgs := []string{"load", "--db", filepath.Join(dir, "csv.duckdb")}
	pqArgs := []string{"load", "--db", filepath.Join(dir, "pq.duckdb")}
	wantRows := map[string]int64{}
	for _, k := range kinds {
		in := filepath.Join(data, k+".csv")
		out := filepath.Join(data, k+".parquet")
		code, stdout, stderr := runCLI(t, "convert", "--in", in, "--out", out)
		if code != exitOK || stdout != out+"\n" {
			t.Fatalf("convert %s: exit %d, stdout %q, stderr %q", k, code, stdout, stderr)
		}
		csvArgs = append(csvArgs, "--"+k, in)
		pqArgs = append(pqArgs, "--"+k, out)
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		wantRows[k] = int64(strings.Count(string(b), "\n") - 1) // minus the header
	}
	for _, args := range [][]string{csvArgs, pqArgs} {
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	fromCSV := statusCounts(t, csvArgs[2])
	fromPQ := statusCounts(t, pqArgs[2])
	for _, k := range kinds {
		if fromCSV[k] != wantRows[k] || fromPQ[k] != wantRows[k] {
			t.Errorf("%s: from CSV %d, from Parquet %d, CSV data lines %d", k, fromCSV[k], fromPQ[k], wantRows[k])
		}
	}
}

func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "a.csv")
	if err := os.WriteFile(csv, []byte("lead_id,x\nL1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ragged := filepath.Join(dir, "ragged.csv")
	if err := os.WriteFile(ragged, []byte("lead_id,created_at,channel\nL1,2024-01-01,web\nL2,2024-01-02\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"ragged row", []string{"convert", "--in", ragged, "--out", filepath.Join(dir, "r.parquet")}, exitFailure,
			"error: " + ragged + " line 3: expected 3 fields like the header, found 2\n"},
		{"missing --in", []string{"convert", "--out", filepath.Join(dir, "a.parquet")}, exitUsage, "--in"},
		{"missing --out", []string{"convert", "--in", csv}, exitUsage, "--out"},
		{"out not parquet", []string{"convert", "--in", csv, "--out", filepath.Join(dir, "a.json")}, exitUsage, ".parquet"},
		{"missing input", []string{"convert", "--in", filepath.Join(dir, "no.csv"), "--out", filepath.Join(dir, "b.parquet")}, exitFailure, "no.csv"},
		{"positional argument", []string{"convert", "x"}, exitUsage, "no arguments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.HasPrefix(stderr, "error: ") || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}
