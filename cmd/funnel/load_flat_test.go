package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flatArgs are the flags loading testdata/load/flat (see its README: 10
// undated leads, 4 won, 5 lost, 1 open).
func flatArgs() []string {
	d := filepath.Join("..", "..", "testdata", "load", "flat")
	return []string{"--leads", filepath.Join(d, "leads.csv"), "--map", filepath.Join(d, "mapping.yaml"), "--outcome-column", "Converted"}
}

func TestLoadFlatExportCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "flat.duckdb")
	code, out, stderr := runCLI(t, append([]string{"load", "--db", db}, flatArgs()...)...)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(out, "outcomes from column Converted: 9 added (undated)") {
		t.Errorf("stdout lacks the outcome count:\n%s", out)
	}
	st := statusJSON(t, db)
	if st.Leads != 10 || st.UndatedLeads != 10 || st.Outcomes != 9 {
		t.Errorf("status: %d leads, %d undated, %d outcomes; want 10, 10, 9", st.Leads, st.UndatedLeads, st.Outcomes)
	}
	code, out, _ = runCLI(t, "status", "--db", db)
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"undated leads 10", `specialization "Select" 3 leads`, `specialization "-" 1 leads`} {
		if code != exitOK || !strings.Contains(flat, want) {
			t.Errorf("status (exit %d) lacks %q:\n%s", code, want, out)
		}
	}

	// --placeholders stores "Select" and "-" as empty: the 1 empty and 4
	// placeholder specializations are 5 leads (missing), none held.
	db2 := filepath.Join(t.TempDir(), "flat.duckdb")
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", db2, "--placeholders"}, flatArgs()...)...); code != exitOK {
		t.Fatalf("load --placeholders: exit %d, %q", code, stderr)
	}
	st = statusJSON(t, db2)
	if len(st.Findings.Placeholders) != 0 {
		t.Errorf("placeholders after --placeholders: %+v", st.Findings.Placeholders)
	}
	for _, m := range st.Findings.MissingValues {
		if m.Column == "specialization" && m.Leads != 5 {
			t.Errorf("specialization empty for %d leads, want 5", m.Leads)
		}
	}
}

func TestLoadOutcomeColumnErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	leads := filepath.Join(dir, "leads.csv")
	if err := os.WriteFile(leads, []byte("lead_id,channel,Converted\nA,web,1\nB,web,perhaps\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"won values alone", []string{"--leads", leads, "--won-values", "1"}, exitUsage, "--won-values needs --outcome-column"},
		{"outcome column without leads", []string{"--events", leads, "--outcome-column", "Converted"}, exitUsage, "give it with --leads"},
		{"unreadable value", []string{"--leads", leads, "--outcome-column", "Converted"}, exitFailure,
			leads + ` line 3: column "Converted": cannot read "perhaps" as an outcome`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"load", "--db", db}, tc.args...)...)
			if code != tc.code || !strings.HasPrefix(stderr, "error: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.want)
			}
			if _, err := os.Stat(db); err == nil {
				t.Error("a refused first load created the workspace")
			}
		})
	}
}
