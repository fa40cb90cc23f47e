package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadGlobCommand: --events with a glob loads every match in one load
// and prints a line per file; a glob matching nothing is exit 1 naming it.
func TestLoadGlobCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	for name, body := range map[string]string{
		"events-2026-01.csv": "lead_id,occurred_at,action\nA,2026-01-05,demo\n",
		"events-2026-02.csv": "lead_id,occurred_at,action\nA,2026-02-05,demo\nA,2026-02-06,ebook\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pattern := filepath.Join(dir, "events-2026-*.csv")
	code, out, stderr := runCLI(t, "load", "--db", db, "--events", pattern)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"loaded into " + db + " (load 1)", "events " + filepath.Join(dir, "events-2026-01.csv") + " 1 1",
		"events " + filepath.Join(dir, "events-2026-02.csv") + " 2 2"} {
		if !strings.Contains(flat, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if st := statusJSON(t, db); st.Events != 3 || len(st.Loads) != 2 {
		t.Errorf("%d events, %d files logged; want 3, 2", st.Events, len(st.Loads))
	}
	none := filepath.Join(dir, "events-2025-*.csv")
	code, _, stderr = runCLI(t, "load", "--db", db, "--events", none)
	if code != exitFailure || stderr != "error: "+none+": no file matches this pattern\n" {
		t.Errorf("glob matching nothing: exit %d, stderr %q", code, stderr)
	}
}
