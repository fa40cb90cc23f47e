package queries

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLoadKeepsMessyInput loads testdata/load/messy, whose expected figures
// are counted by hand in its README.md, and checks the per-file results and
// every finding of Status.
func TestLoadKeepsMessyInput(t *testing.T) {
	s := openTestStore(t)
	res := mustLoad(t, s, messyRequest())
	type row struct {
		kind                               Kind
		rows, added, updated, dups, orphan int64
	}
	var got []row
	for _, f := range res.Files {
		got = append(got, row{f.Kind, f.Rows, f.Added, f.Updated, f.Duplicates, f.Orphans})
	}
	want := []row{
		{KindLeads, 4, 4, 0, 0, 0},
		{KindEvents, 7, 6, 0, 1, 2},   // line 3 repeats line 2; X9 twice
		{KindStages, 9, 8, 0, 1, 1},   // line 10 repeats line 2; Y1
		{KindOutcomes, 4, 3, 0, 1, 1}, // WON = won on line 5; Z7
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files\n got %+v\nwant %+v", got, want)
	}
	st, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Attributes: 4 leads × (title, company_size) = 8, empty ones kept as
	// (missing): L2's and L4's company_size, L4's title.
	if st.Leads != 4 || st.Events != 6 || st.Stages != 8 || st.Outcomes != 3 || st.LeadAttributes != 8 {
		t.Errorf("counts = %d/%d/%d/%d/%d, want 4/6/8/3/8", st.Leads, st.Events, st.Stages, st.Outcomes, st.LeadAttributes)
	}
	wantFindings := Findings{
		OrphanEvents:         Finding{2, []string{"X9"}},
		OrphanStages:         Finding{1, []string{"Y1"}},
		OrphanOutcomes:       Finding{1, []string{"Z7"}},
		DuplicatesSkipped:    3, // 0 + 1 + 1 + 1
		OutcomeBeforeCreated: Finding{1, []string{"L2"}},
		StagesOutOfOrder:     Finding{2, []string{"L2", "L4"}},
		Placeholders:         []PlaceholderCount{},
		MissingValues:        []MissingCount{{"company_size", 2}, {"title", 1}},
	}
	if !reflect.DeepEqual(st.Findings, wantFindings) {
		t.Errorf("findings\n got %+v\nwant %+v", st.Findings, wantFindings)
	}
	if len(st.Loads) != 4 || st.Loads[1].Kind != KindEvents || st.Loads[1].Rows != 7 || st.Loads[1].Added != 6 || st.Loads[1].Duplicates != 1 || len(st.Loads[1].SHA256) != 64 {
		t.Errorf("loads = %+v", st.Loads)
	}
}

// TestLoadTwiceChangesNothing: loading the same files again adds no row and
// counts every row as a duplicate.
func TestLoadTwiceChangesNothing(t *testing.T) {
	s := openTestStore(t)
	mustLoad(t, s, messyRequest())
	first := countsOf(t, s)
	res := mustLoad(t, s, messyRequest())
	second := countsOf(t, s)
	first.loads += 4 // the log records the second load's four files
	if second != first {
		t.Fatalf("counts after the second load %+v, want %+v", second, first)
	}
	for _, f := range res.Files {
		if f.Added != 0 || f.Updated != 0 || f.Duplicates != f.Rows {
			t.Errorf("%s: added %d updated %d duplicates %d of %d rows, want all duplicates", f.Kind, f.Added, f.Updated, f.Duplicates, f.Rows)
		}
	}
	st, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// 3 from the first load + all 4+7+9+4 = 24 rows of the second.
	if st.Findings.DuplicatesSkipped != 27 {
		t.Errorf("duplicates skipped = %d, want 27", st.Findings.DuplicatesSkipped)
	}
	if res.LoadID != 2 {
		t.Errorf("load id = %d, want 2", res.LoadID)
	}
}

// TestLoadUpdatesLeads: a later leads file changes a lead's channel and one
// attribute, clears another (stored as (missing)), and keeps attributes it
// does not name.
func TestLoadUpdatesLeads(t *testing.T) {
	s := openTestStore(t)
	dir := t.TempDir()
	mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, dir, "a.csv",
		"lead_id,created_at,channel,title,country\nA,2024-01-01,web,CEO,DE\nB,2024-01-01,web,CTO,FR\nC,2024-01-01,web,,\n")})
	// A: channel changes; B: title cleared; C: unchanged; D: new.
	// The file has no country column, so A's and B's country stay.
	res := mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, dir, "b.csv",
		"lead_id,created_at,channel,title\nA,2024-01-01,event,CEO\nB,2024-01-01,web,\nC,2024-01-01,web,\nD,2024-02-01,web,Intern\n")})
	f := res.Files[0]
	if f.Rows != 4 || f.Added != 1 || f.Updated != 2 || f.Duplicates != 1 {
		t.Errorf("rows %d added %d updated %d duplicates %d, want 4 1 2 1", f.Rows, f.Added, f.Updated, f.Duplicates)
	}
	rows, err := s.DB().Query(`SELECT l.lead_id || ':' || l.channel || ':' || coalesce(string_agg(a.name || '=' || a.value, ',' ORDER BY a.name), '')
		FROM leads l LEFT JOIN lead_attributes a USING (lead_id) GROUP BY l.lead_id, l.channel ORDER BY l.lead_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	want := []string{"A:event:country=DE,title=CEO", "B:web:country=FR,title=(missing)", "C:web:country=(missing),title=(missing)", "D:web:title=Intern"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("leads\n got %q\nwant %q", got, want)
	}
}

// TestLoadLeadRepeatedInFileKeepsLast: the last row of a lead in a file wins.
func TestLoadLeadRepeatedInFileKeepsLast(t *testing.T) {
	s := openTestStore(t)
	res := mustLoad(t, s, LoadRequest{Leads: writeTestFile(t, t.TempDir(), "l.csv",
		"lead_id,created_at,channel\nA,2024-01-01,web\nA,2024-01-02,event\n")})
	if f := res.Files[0]; f.Added != 1 || f.Duplicates != 1 {
		t.Errorf("added %d duplicates %d, want 1 1", f.Added, f.Duplicates)
	}
	var ch string
	if err := s.DB().QueryRow("SELECT channel FROM leads WHERE lead_id = 'A'").Scan(&ch); err != nil || ch != "event" {
		t.Errorf("channel = %q (%v), want event", ch, err)
	}
}

// TestLoadHeaderOnly: a file with a header and no rows loads nothing and is
// logged with 0 rows.
func TestLoadHeaderOnly(t *testing.T) {
	s := openTestStore(t)
	dir := t.TempDir()
	res := mustLoad(t, s, LoadRequest{
		Leads:  writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel,title\n"),
		Events: writeTestFile(t, dir, "events.csv", "lead_id,occurred_at,action\n"),
	})
	for _, f := range res.Files {
		if f.Rows != 0 || f.Added != 0 || f.Duplicates != 0 {
			t.Errorf("%s: %+v, want all zero", f.Kind, f)
		}
	}
	if got := countsOf(t, s); got != (tableCounts{loads: 2}) {
		t.Errorf("counts %+v, want only 2 log entries", got)
	}
}

// TestLoadEmptyChannel keeps leads whose channel is empty, as the group
// "(none)", instead of refusing the file (real exports have leads with no
// source).
func TestLoadEmptyChannel(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dir := t.TempDir()
	leads := filepath.Join(dir, "leads.csv")
	if err := os.WriteFile(leads, []byte("lead_id,created_at,channel\nA,2024-01-01,web\nB,2024-01-02,\nC,2024-01-03,  \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, LoadRequest{Leads: leads}); err != nil {
		t.Fatalf("a file with empty channels was refused: %v", err)
	}
	got := map[string]string{}
	rows, err := s.DB().QueryContext(ctx, "SELECT lead_id, channel FROM leads")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, ch string
		if err := rows.Scan(&id, &ch); err != nil {
			t.Fatal(err)
		}
		got[id] = ch
	}
	// B is empty and C blank (trimmed to empty): both "(none)".
	want := map[string]string{"A": "web", "B": NoChannel, "C": NoChannel}
	for id, ch := range want {
		if got[id] != ch {
			t.Errorf("lead %s channel %q, want %q (all: %v)", id, got[id], ch, got)
		}
	}
}
