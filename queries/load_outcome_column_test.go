package queries

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flatRequest loads testdata/load/flat/leads.csv with its mapping and its
// Converted column as the outcome.
func flatRequest(t *testing.T) LoadRequest {
	t.Helper()
	dir := filepath.Join("..", "testdata", "load", "flat")
	fh, err := os.Open(filepath.Join(dir, "mapping.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	m, err := ParseMapping(fh)
	if err != nil {
		t.Fatal(err)
	}
	return LoadRequest{Leads: filepath.Join(dir, "leads.csv"), Mapping: m, Outcome: OutcomeColumn{Column: "Converted"}}
}

// outcomesOf lists the stored outcomes as "lead outcome" (closed_at shown
// as "undated" when NULL), sorted.
func outcomesOf(t *testing.T, s *Store) []string {
	t.Helper()
	return textRows(t, s, "SELECT lead_id || ' ' || outcome || ' ' || coalesce(strftime(closed_at, '%Y-%m-%d'), 'undated') FROM outcomes ORDER BY 1")
}

// TestLoadFlatExport: the flat fixture's 10 leads are kept undated; its
// Converted column gives 4 won (P01 P04 P06 P08) and 5 lost outcomes,
// undated; P07's empty value is an open lead (no outcome); the column is
// no attribute; P05's empty source is the channel "(none)".
func TestLoadFlatExport(t *testing.T) {
	s := openTestStore(t)
	res := mustLoad(t, s, flatRequest(t))
	if got := res.Files[0]; got.Rows != 10 || got.Added != 10 || got.Outcomes != 9 {
		t.Errorf("result = %+v, want 10 rows, 10 added, 9 outcomes", got)
	}
	var undated int
	if err := s.DB().QueryRow("SELECT count(*) FROM leads WHERE created_at IS NULL").Scan(&undated); err != nil {
		t.Fatal(err)
	}
	if undated != 10 {
		t.Errorf("undated leads = %d, want 10", undated)
	}
	want := []string{"P01 won undated", "P02 lost undated", "P03 lost undated", "P04 won undated", "P05 lost undated",
		"P06 won undated", "P08 won undated", "P09 lost undated", "P10 lost undated"}
	if got := outcomesOf(t, s); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("outcomes = %v, want %v", got, want)
	}
	var converted int
	if err := s.DB().QueryRow("SELECT count(*) FROM lead_attributes WHERE name = 'converted'").Scan(&converted); err != nil {
		t.Fatal(err)
	}
	if converted != 0 {
		t.Errorf("the outcome column is stored as an attribute (%d rows)", converted)
	}
	var channel string
	if err := s.DB().QueryRow("SELECT channel FROM leads WHERE lead_id = 'P05'").Scan(&channel); err != nil {
		t.Fatal(err)
	}
	if channel != NoChannel {
		t.Errorf("P05 channel = %q, want %q", channel, NoChannel)
	}

	// Loaded again, nothing is added; an outcome the export changed
	// replaces the stored one, and an emptied one reopens the lead.
	res = mustLoad(t, s, flatRequest(t))
	if got := res.Files[0]; got.Added != 0 || got.Outcomes != 0 {
		t.Errorf("second load = %+v, want nothing added", got)
	}
	changed := flatRequest(t)
	changed.Leads = writeTestFile(t, t.TempDir(), "leads.csv",
		"Prospect ID,Lead Source,Converted\nP02,Direct Traffic,1\nP01,Google,\n")
	res = mustLoad(t, s, changed)
	if got := res.Files[0]; got.Outcomes != 1 {
		t.Errorf("changed load = %+v, want 1 outcome added", got)
	}
	got := strings.Join(outcomesOf(t, s), ", ")
	if !strings.Contains(got, "P02 won undated") || strings.Contains(got, "P02 lost") || strings.Contains(got, "P01 ") {
		t.Errorf("after the change, outcomes = %s; want P02 won only and P01 open", got)
	}
}

// TestOutcomeColumnValues: the default values in any case, and named won
// values (every other non-empty value lost).
func TestOutcomeColumnValues(t *testing.T) {
	cases := []struct {
		name string
		body string
		won  []string
		want []string
	}{
		{name: "default values any case",
			body: "lead_id,channel,Status\nA,web,YES\nB,web,No\nC,web,True\nD,web,false\nE,web,Converted\nF,web,Not Converted\nG,web,won\nH,web,LOST\nI,web,  \n",
			want: []string{"A won undated", "B lost undated", "C won undated", "D lost undated", "E won undated", "F lost undated", "G won undated", "H lost undated"}},
		{name: "named won values",
			body: "lead_id,channel,Status\nA,web,Closed Won\nB,web,Closed Lost\nC,web,Nurture\nD,web,closed won \n",
			won:  []string{"closed won"},
			want: []string{"A won undated", "B lost undated", "C lost undated", "D won undated"}},
		{name: "numeric column",
			body: "lead_id,channel,Status\nA,web,1\nB,web,0\nC,web,\n",
			want: []string{"A won undated", "B lost undated"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, t.TempDir(), "leads.csv", tc.body),
				Outcome: OutcomeColumn{Column: "status", Won: tc.won}})
			if got := outcomesOf(t, s); strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("outcomes = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestOutcomeColumnRefused: bad input names the file and the line, and
// stores nothing.
func TestOutcomeColumnRefused(t *testing.T) {
	cases := []struct {
		name string
		body string
		oc   OutcomeColumn
		want string
	}{
		{name: "unknown value", body: "lead_id,channel,Converted\nA,web,1\nB,web,maybe\nC,web,2\n",
			oc:   OutcomeColumn{Column: "Converted"},
			want: `leads.csv line 3: column "Converted": cannot read "maybe" as an outcome (won: 1, yes, true, won, converted; lost: 0, no, false, lost, not converted; any case; empty: still open); name the won values with --won-values and every other value counts as lost (1 more row has a problem)`},
		{name: "column missing", body: "lead_id,channel,Won\nA,web,1\n",
			oc:   OutcomeColumn{Column: "Converted"},
			want: `leads.csv line 1: outcome column "Converted" not found (columns found: lead_id, channel, Won)`},
		{name: "bad date beside it", body: "lead_id,created_at,channel,Converted\nA,2024-01-01,web,1\nB,2024-13-45,web,0\n",
			oc:   OutcomeColumn{Column: "Converted"},
			want: `leads.csv line 3: column created_at: cannot parse "2024-13-45" as a timestamp`},
		{name: "empty won value", body: "lead_id,channel,Converted\nA,web,1\n",
			oc:   OutcomeColumn{Column: "Converted", Won: []string{"1", " "}},
			want: "won values: an empty value cannot mean won"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			_, err := s.Load(context.Background(), LoadRequest{Leads: writeTestFile(t, t.TempDir(), "leads.csv", tc.body), Outcome: tc.oc})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if c := countsOf(t, s); c.leads != 0 || c.outcomes != 0 {
				t.Errorf("a refused load stored %+v", c)
			}
		})
	}
	s := openTestStore(t)
	if _, err := s.Load(context.Background(), LoadRequest{Events: writeTestFile(t, t.TempDir(), "events.csv", "lead_id,occurred_at,action\nA,2024-01-01,demo\n"),
		Outcome: OutcomeColumn{Column: "Converted"}}); err == nil || !strings.Contains(err.Error(), "name the leads file") {
		t.Errorf("outcome column without a leads file: error = %v", err)
	}
}

// TestUndatedLeadKept: a leads file with a created_at column keeps a lead
// whose date is empty, undated; a later load dating it updates it.
func TestUndatedLeadKept(t *testing.T) {
	s := openTestStore(t)
	dir := t.TempDir()
	mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, dir, "a.csv", "lead_id,created_at,channel\nA,2024-01-01,web\nB,,web\n")})
	res := mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, dir, "b.csv", "lead_id,created_at,channel\nB,2024-02-01,web\n")})
	if got := res.Files[0]; got.Updated != 1 {
		t.Errorf("dating an undated lead: %+v, want 1 updated", got)
	}
	res = mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, dir, "c.csv", "lead_id,created_at,channel\nB,2024-02-01,web\nA,,web\n")})
	if got := res.Files[0]; got.Updated != 1 || got.Duplicates != 1 {
		t.Errorf("undating a lead: %+v, want 1 updated, 1 duplicate", got)
	}
	var undated string
	if err := s.DB().QueryRow("SELECT string_agg(lead_id, ',') FROM leads WHERE created_at IS NULL").Scan(&undated); err != nil {
		t.Fatal(err)
	}
	if undated != "A" {
		t.Errorf("undated leads = %q, want A", undated)
	}
	// A file without a created_at column (a flat export of the same
	// leads) leaves the stored dates alone.
	res = mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, dir, "d.csv", "lead_id,channel,size\nA,web,10\nB,web,20\n")})
	if got := res.Files[0]; got.Updated != 2 {
		t.Errorf("adding an attribute: %+v, want 2 updated", got)
	}
	if err := s.DB().QueryRow("SELECT string_agg(lead_id || ' ' || coalesce(strftime(created_at, '%Y-%m-%d'), 'undated'), ', ' ORDER BY lead_id) FROM leads").Scan(&undated); err != nil {
		t.Fatal(err)
	}
	if undated != "A undated, B 2024-02-01" {
		t.Errorf("after a file without created_at: %s, want A undated, B 2024-02-01", undated)
	}
}
