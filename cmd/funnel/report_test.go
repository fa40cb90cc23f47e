package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/queries"
)

// reportFixture writes a small workspace: three web leads in January 2025
// (L1 reaches mql, L2 wins, L3 nothing), one referral lead entering at sql
// in February and winning, and a late event that sets the data end to
// 2025-12-31. Test-only SQL.
func reportFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	st, err := queries.Open(context.Background(), path, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO leads VALUES ('L1','2025-01-02','web'), ('L2','2025-01-03','web'), ('L3','2025-01-04','web'), ('L4','2025-02-01','referral')`,
		`ALTER TABLE leads ADD COLUMN "attr:industry" VARCHAR`,
		`UPDATE leads SET "attr:industry" = a.v FROM (VALUES ('L1','saas'), ('L4','retail')) a(id, v) WHERE leads.lead_id = a.id`,
		`INSERT INTO stages VALUES ('L1','mql','2025-01-05'), ('L2','mql','2025-01-04'), ('L2','sal','2025-01-06'),
			('L2','sql','2025-01-10'), ('L2','opportunity','2025-01-20'), ('L4','sql','2025-02-02')`,
		`INSERT INTO outcomes VALUES ('L2','2025-02-01','won',100), ('L4','2025-03-01','won',200)`,
		`INSERT INTO events VALUES ('L1','2025-01-03','pricing',NULL), ('L2','2025-01-03','demo',NULL), ('L3','2025-12-31','ebook',NULL)`,
	} {
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportJSON(t *testing.T) {
	db := reportFixture(t)
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, "report", "--db", db, "--json", jsonPath, "--window", "60", "--by", "industry")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote "+jsonPath) || !strings.Contains(stdout, "web") {
		t.Errorf("stdout = %q", stdout)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"by_channel", "by_action", "by_month", "period", "comparison", "time_in_stage",
		"recycling", "data_quality", "window_days", "data_end", "stages", "by_attribute", "total"} {
		if _, ok := r[k]; !ok {
			t.Errorf("report.json has no %q", k)
		}
	}
	if r["window_days"] != 60.0 {
		t.Errorf("window_days = %v", r["window_days"])
	}
	// by_channel: referral L4 (reached every stage up to won: the sql entry
	// implies mql and sal, the win implies opportunity); web L1 (mql), L2
	// (won), L3 (lead only): lead 3, mql 2, sal 1, sql 1, opportunity 1, won 1.
	want := map[string]map[string]float64{
		"referral": {"lead": 1, "mql": 1, "sal": 1, "sql": 1, "opportunity": 1, "won": 1},
		"web":      {"lead": 3, "mql": 2, "sal": 1, "sql": 1, "opportunity": 1, "won": 1},
	}
	rows := r["by_channel"].([]any)
	if len(rows) != 2 {
		t.Fatalf("by_channel = %v", rows)
	}
	for _, row := range rows {
		m := row.(map[string]any)
		w := want[m["channel"].(string)]
		for k, v := range w {
			if m[k] != v {
				t.Errorf("by_channel %s %s = %v, want %v", m["channel"], k, m[k], v)
			}
		}
	}
	// by_action at the landmark from the data: days to first mql (or
	// later stage) L1 3, L2 1, L4 1 (sql) → median 1. Every lead is still
	// in the population (L2 and L4 qualify exactly at it, not before); only
	// L2's demo (01-03) is strictly before its landmark (01-04): L1's
	// pricing is at its landmark (01-03), L3's ebook long after.
	if r["action_landmark_days"] != 1.0 {
		t.Errorf("action_landmark_days = %v, want 1", r["action_landmark_days"])
	}
	if got := byActionLeads(r); len(got) != 1 || got["demo"] != 1 {
		t.Errorf("by_action leads = %v, want demo 1", got)
	}
	// by_month: 2025-01 has 3 leads, 2025-02 one.
	months := r["by_month"].([]any)
	if len(months) != 2 || months[0].(map[string]any)["month"] != "2025-01" || months[0].(map[string]any)["lead"] != 3.0 {
		t.Errorf("by_month = %v", months)
	}
}

// byActionLeads maps each by_action row's action to its number of leads.
func byActionLeads(r map[string]any) map[string]float64 {
	out := map[string]float64{}
	for _, row := range r["by_action"].([]any) {
		m := row.(map[string]any)
		out[m["action"].(string)] = m["lead"].(float64)
	}
	return out
}

func TestReportLandmark(t *testing.T) {
	db := reportFixture(t)
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	if code, _, stderr := runCLI(t, "report", "--db", db, "--json", jsonPath, "--landmark", "2"); code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	// At 2 days: L2 (mql at 1 day) and L4 (sql at 1 day) are out; L1 (mql
	// at 3 days) and L3 remain. L1's pricing (age 1 day) is before its
	// landmark.
	pop, _ := r["action_population"].(map[string]any)
	if r["action_landmark_days"] != 2.0 || r["action_landmark_from_data"] != false || pop["lead"] != 2.0 {
		t.Errorf("landmark %v from data %v, population %v; want 2 false 2 leads",
			r["action_landmark_days"], r["action_landmark_from_data"], pop["lead"])
	}
	if got := byActionLeads(r); len(got) != 1 || got["pricing"] != 1 {
		t.Errorf("by_action leads = %v, want pricing 1", got)
	}
}

func TestReportHTML(t *testing.T) {
	db := reportFixture(t)
	out := filepath.Join(t.TempDir(), "report.html")
	code, _, stderr := runCLI(t, "report", "--db", db, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), "<html") {
		t.Errorf("report.html: %v, %d bytes", err, len(b))
	}
}

func TestReportUsageErrors(t *testing.T) {
	db := reportFixture(t)
	for _, args := range [][]string{
		{"report"},
		{"report", "--db", db, "--from", "2025-13"},
		{"report", "--db", db, "--month", "May"},
		{"report", "--db", db, "--from", "2025-05", "--to", "2025-01"},
		{"report", "--db", db, "--stages", "lead"},
		{"report", "--db", db, "--stages", "lead,mql,mql"},
		{"report", "--db", db, "--window", "-3"},
		{"report", "--db", db, "--landmark", "-1"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.HasPrefix(stderr, "error: ") {
			t.Errorf("%v: exit %d, stderr %q; want %d", args, code, stderr, exitUsage)
		}
	}
}

func TestReportFailures(t *testing.T) {
	// A cohort range with no leads, and a missing workspace: exit 1.
	db := reportFixture(t)
	for _, args := range [][]string{
		{"report", "--db", db, "--from", "2030-01"},
		{"report", "--db", filepath.Join(t.TempDir(), "missing.duckdb")},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitFailure || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want %d", args, code, stderr, exitFailure)
		}
	}
}
