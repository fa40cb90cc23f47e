package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFirstSchemaWorkspaceCommands: the workspace kept in
// queries/testdata/v001 (written before migrations; 3 leads, 2 outcomes)
// reads with status and report as it is, and a load upgrades it.
func TestFirstSchemaWorkspaceCommands(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "queries", "testdata", "v001", "workspace.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "old.duckdb")
	if err := os.WriteFile(db, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if st := statusJSON(t, db); st.Leads != 3 || st.Outcomes != 2 || st.UndatedLeads != 0 {
		t.Errorf("status of the old workspace: %d leads, %d outcomes, %d undated; want 3, 2, 0", st.Leads, st.Outcomes, st.UndatedLeads)
	}
	if code, _, stderr := runCLI(t, "report", "--db", db, "--json", filepath.Join(dir, "report.json")); code != exitOK {
		t.Fatalf("report of the old workspace: exit %d, %q", code, stderr)
	}
	leads := filepath.Join(dir, "flat.csv")
	if err := os.WriteFile(leads, []byte("lead_id,channel,Converted\nF1,web,yes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "load", "--db", db, "--leads", leads, "--outcome-column", "Converted")
	if code != exitOK || !strings.Contains(out, "1 added (undated)") {
		t.Fatalf("undated load into the old workspace: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if st := statusJSON(t, db); st.Leads != 4 || st.Outcomes != 3 || st.UndatedLeads != 1 {
		t.Errorf("after the upgrade: %d leads, %d outcomes, %d undated; want 4, 3, 1", st.Leads, st.Outcomes, st.UndatedLeads)
	}
}
