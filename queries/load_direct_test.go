package queries

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// directFixture is a clean load whose events and stages take the one-pass
// path: surrounding spaces, an empty value, every accepted timestamp form
// (the 19-character one funnel_ts takes a shortcut for among them), a
// value in exponent form and an orphan event (L9).
func directFixture(t *testing.T, dir string) LoadRequest {
	t.Helper()
	return LoadRequest{
		Leads: writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel,title\n"+
			"L1,2024-01-01 09:00:00,web,cto\nL2,2024-01-02,event,\n L3 ,2024-01-03T08:00:00Z, web ,vp\n"),
		Events: writeTestFile(t, dir, "events.csv", "lead_id,occurred_at,action,value\n"+
			"L1,2024-01-02 10:00:00,ebook,\nL1,2024-01-02T10:00:00+02:00,webinar, 45 \n"+
			"L2,2024-01-06,pricing_page,1e2\n L3 ,2024-01-07 11:12:13.5,demo,0\nL9,2024-01-08 00:00,ebook,3\n"),
		Stages: writeTestFile(t, dir, "stages.csv", "lead_id,stage,entered_at\n"+
			"L1,mql,2024-01-03 00:00:00\nL2, sql ,2024-01-07\n"),
		Outcomes: writeTestFile(t, dir, "outcomes.csv", "lead_id,closed_at,outcome,amount\nL1,2024-02-01,won,1000\n"),
	}
}

// loadWith loads req into a new in-memory store through writeFiles with
// or without the one-pass path, and returns the result, whether a file
// took the one-pass path, and every stored row as text. Rows a one-pass
// file repeats are dropped in the load's transaction.
func loadWith(t *testing.T, req LoadRequest, direct bool) (LoadResult, bool, []string, error) {
	return loadWithDrop(t, req, direct, false)
}

// loadWithDrop is loadWith, with dropLater for writeFiles: rows a one-pass
// file repeats are dropped in a second transaction after the load's.
func loadWithDrop(t *testing.T, req LoadRequest, direct, dropLater bool) (LoadResult, bool, []string, error) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, ":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var files []inputFile
	paths := map[Kind]string{KindLeads: req.Leads, KindEvents: req.Events, KindStages: req.Stages, KindOutcomes: req.Outcomes}
	for _, k := range loadOrder() {
		if paths[k] == "" {
			continue
		}
		f, err := inspectFile(ctx, k, paths[k])
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	now := func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) }
	res, took, err := writeFiles(ctx, s.DB(), inspected(files), req, func(inputFile, string) {}, now, direct, dropLater)
	if err != nil {
		return res, took, nil, err
	}
	return res, took, storedRows(t, s), nil
}

// storedRows lists every row of the workspace tables (load log without its
// times) as text, sorted within each table.
func storedRows(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	for _, table := range []string{"leads", "lead_attributes", "events", "stages", "outcomes", "loads"} {
		q := "SELECT * FROM " + table + " ORDER BY ALL"
		if table == "loads" {
			q = "SELECT kind, rows_read, rows_added, duplicates FROM loads ORDER BY ALL"
		}
		rows, err := s.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, table+": "+fmt.Sprint(vals...))
		}
		rows.Close()
	}
	return out
}

// TestDirectLoadMatchesStaged: a first load that checks events and stages
// as it inserts them stores exactly what the staged path stores, from CSV
// and from Parquet, and reports the same counts.
func TestDirectLoadMatchesStaged(t *testing.T) {
	dir := t.TempDir()
	csvReq := directFixture(t, dir)
	s, err := Open(context.Background(), ":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pqReq := csvReq
	pqReq.Events = filepath.Join(dir, "events.parquet")
	pqReq.Stages = filepath.Join(dir, "stages.parquet")
	copyTo(t, s, "SELECT * FROM read_csv("+quoteLiteral(csvReq.Events)+", all_varchar = true)", pqReq.Events, "parquet")
	copyTo(t, s, "SELECT * FROM read_csv("+quoteLiteral(csvReq.Stages)+", all_varchar = true)", pqReq.Stages, "parquet")
	for name, req := range map[string]LoadRequest{"csv": csvReq, "parquet": pqReq} {
		t.Run(name, func(t *testing.T) {
			direct := matchesStaged(t, req)
			// 5 events, one naming lead L9 that no file holds (by hand).
			if ev := direct.Files[1]; ev.Rows != 5 || ev.Added != 5 || ev.Orphans != 1 {
				t.Errorf("events: %+v, want 5 rows, 5 added, 1 orphan", ev)
			}
		})
	}
}

// TestDirectLoadFallsBack: what the one-pass insert cannot handle sends the
// load back to the staged path, which reports it as before: a bad value by
// line, a row the CSV reader rejects by line, a future timestamp, and rows
// repeated within the file (skipped as duplicates).
func TestDirectLoadFallsBack(t *testing.T) {
	head := "lead_id,occurred_at,action,value\n"
	good := "L1,2024-01-02 10:00:00,ebook,\nL1,2024-01-03 10:00:00,demo,2\n"
	cases := []struct {
		name, events string
		line         int    // the line an InputError must name; 0: the load succeeds
		problem      string // part of its problem
	}{
		{"bad timestamp", good + "L1,2024-1-05 10:00:00,ebook,\n", 4, "timestamp"},
		{"not a number", good + "L1,2024-01-05 10:00:00,ebook,abc\n", 4, "number"},
		{"extra field", good + "L1,2024-01-05 10:00:00,ebook,1,5\n", 4, "fields"},
		{"empty action", good + "L1,2024-01-05 10:00:00,,\n", 4, "action"},
		{"future", good + "L1,2099-01-05 10:00:00,ebook,\n", 4, "future"},
		{"repeated row", good + "L1,2024-01-03 10:00:00,demo,2\n", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			req := LoadRequest{
				Leads:  writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel\nL1,2024-01-01,web\n"),
				Events: writeTestFile(t, dir, "events.csv", head+tc.events),
			}
			s, res, err := loadOnJune1(t, req)
			if tc.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				// 3 rows, the third repeating the second: 2 added, 1 duplicate.
				if ev := res.Files[1]; ev.Rows != 3 || ev.Added != 2 || ev.Duplicates != 1 {
					t.Errorf("events: %+v, want 3 rows, 2 added, 1 duplicate", ev)
				}
				if c := countsOf(t, s); c.events != 2 {
					t.Errorf("%d events stored, want 2", c.events)
				}
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Line != tc.line || !strings.Contains(ie.Error(), tc.problem) {
				t.Fatalf("err = %v; want an InputError on line %d about %q", err, tc.line, tc.problem)
			}
			if c := countsOf(t, s); c.events != 0 || c.leads != 0 {
				t.Errorf("a refused load stored %+v", c)
			}
		})
	}
}

// TestDirectLoadDropsRepeatedRows: rows an events or stages file repeats
// (one three times with an empty value, which must count as equal, one
// twice) no longer send the first load to the staged path; the one-pass
// path drops the extra copies itself and stores and reports exactly what
// the staged path does: 7 event rows, 4 added, 3 duplicates (by hand).
func TestDirectLoadDropsRepeatedRows(t *testing.T) {
	dir := t.TempDir()
	req := directFixture(t, dir)
	req.Events = writeTestFile(t, dir, "events_repeated.csv", "lead_id,occurred_at,action,value\n"+
		"L1,2024-01-02 10:00:00,ebook,\nL1,2024-01-02 10:00:00,ebook,\nL2,2024-01-06,pricing_page,1\n"+
		"L1,2024-01-02 10:00:00,ebook,\nL2,2024-01-06,pricing_page,1\nL2,2024-01-06,pricing_page,2\n"+
		"L1,2024-01-02 10:00:00,ebook,7\nL9,2024-01-08 00:00,ebook,3\nL9,2024-01-08 00:00,ebook,3\n")
	req.Stages = writeTestFile(t, dir, "stages_repeated.csv", "lead_id,stage,entered_at\n"+
		"L1,mql,2024-01-03 00:00:00\nL1,mql,2024-01-03 00:00:00\n")
	direct := matchesStaged(t, req)
	// The orphan L9 is repeated too: orphans count the file's rows, copies
	// included, as the staged path counts them (the one-pass path counted
	// the rows kept until this test compared the two).
	if ev := direct.Files[1]; ev.Rows != 9 || ev.Added != 5 || ev.Duplicates != 4 || ev.Orphans != 2 {
		t.Errorf("events: %+v, want 9 rows, 5 added, 4 duplicates, 2 orphans", ev)
	}
	if st := direct.Files[2]; st.Rows != 2 || st.Added != 1 || st.Duplicates != 1 {
		t.Errorf("stages: %+v, want 2 rows, 1 added, 1 duplicate", st)
	}
}

// matchesStaged loads req through the one-pass path, with repeated rows
// dropped in the load's transaction and after it, and through the staged
// path, fails unless some file took the one-pass path and all three stored
// and reported the same, and returns the one-pass result.
func matchesStaged(t *testing.T, req LoadRequest) LoadResult {
	t.Helper()
	staged, _, want, err := loadWith(t, req, false)
	if err != nil {
		t.Fatalf("staged load: %v", err)
	}
	var direct LoadResult
	for _, later := range []bool{false, true} {
		res, took, got, err := loadWithDrop(t, req, true, later)
		if err != nil {
			t.Fatalf("one-pass load (repeats dropped after the commit: %v): %v", later, err)
		}
		if !took {
			t.Fatal("no file took the one-pass path")
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("one-pass load (repeats dropped after the commit: %v) stored\n%s\nstaged load stored\n%s",
				later, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for i := range staged.Files {
			d, w := res.Files[i], staged.Files[i]
			d.File, w.File = "", ""
			if d != w {
				t.Errorf("file %d: one-pass (repeats dropped after the commit: %v) %+v, staged %+v", i, later, d, w)
			}
		}
		direct = res
	}
	return direct
}

// loadOnJune1 loads req into a new in-memory store, closed when the test
// ends, with 1 June 2024 as the load's clock.
func loadOnJune1(t *testing.T, req LoadRequest) (*Store, LoadResult, error) {
	t.Helper()
	s, err := Open(context.Background(), ":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	req.Now = func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) }
	res, err := s.Load(context.Background(), req)
	return s, res, err
}

// TestRetryStaged: a one-pass load that failed runs again through the
// staged path unless it was canceled or failed after its commit, when the
// database already holds its rows.
func TestRetryStaged(t *testing.T) {
	ctx := context.Background()
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	problem := fmt.Errorf("load events e.csv: %w: a timestamp lies in the future", errNotDirect)
	late := fmt.Errorf("%w: load events e.csv: duplicates: disk full", errAfterCommit)
	for _, c := range []struct {
		name   string
		ctx    context.Context
		err    error
		direct bool
		want   bool
	}{
		{"one-pass problem", ctx, problem, true, true},
		{"staged already", ctx, problem, false, false},
		{"no error", ctx, nil, true, false},
		{"canceled", canceled, context.Canceled, true, false},
		{"after the commit", ctx, late, true, false},
	} {
		if got := retryStaged(c.ctx, c.err, c.direct); got != c.want {
			t.Errorf("%s: retryStaged = %v, want %v", c.name, got, c.want)
		}
	}
}
