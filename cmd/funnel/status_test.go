package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStatusCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", db}, messyArgs()...)...); code != exitOK {
		t.Fatalf("load: %q", stderr)
	}
	code, out, stderr := runCLI(t, "status", "--db", db)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	// Findings counted by hand in testdata/load/messy/README.md.
	for _, want := range []string{
		"leads 4", "events 6", "stages 8", "outcomes 3", "lead attributes 8", "undated leads 0",
		"loads (4 files)",
		"events of unknown leads 2 rows e.g. X9",
		"stages of unknown leads 1 rows e.g. Y1",
		"outcomes of unknown leads 1 rows e.g. Z7",
		"outcomes before the lead was created 1 rows e.g. L2",
		"stage dates out of order 2 leads e.g. L2, L4",
		"duplicate rows skipped 3 rows",
		"empty values (each kept as a group of its own: channel (none), attributes (missing)) company_size 2 leads title 1 leads",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	st := statusJSON(t, db)
	if st.Findings.StagesOutOfOrder.Count != 2 || st.Findings.OrphanEvents.Count != 2 || st.Findings.DuplicatesSkipped != 3 {
		t.Errorf("findings %+v", st.Findings)
	}
}

func TestStatusMissingDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.duckdb")
	code, out, stderr := runCLI(t, "status", "--db", db, "--json")
	want := "error: database " + db + " does not exist; create it with funnel load --db " + db + "\n"
	if code != exitFailure || stderr != want || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, stderr, want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("status created %s", db)
	}
}

func TestStatusJSONKeys(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", db}, messyArgs()...)...); code != exitOK {
		t.Fatalf("load: %q", stderr)
	}
	_, out, _ := runCLI(t, "status", "--db", db, "--json")
	for _, key := range []string{`"leads": 4`, `"events": 6`, `"stages": 8`, `"outcomes": 3`, `"loads": [`, `"findings": {`,
		`"orphan_events": {`, `"duplicates_skipped": 3`, `"stages_out_of_order": {`, `"outcome_before_created": {`, `"sha256": "`} {
		if !strings.Contains(out, key) {
			t.Errorf("status --json lacks %s", key)
		}
	}
}
