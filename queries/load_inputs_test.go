package queries

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// monthlyEvents writes three monthly event exports (2 + 2 + 1 rows; the
// March file repeats a February row) and a README into a new folder.
func monthlyEvents(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "exports")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, dir, "events-2026-01.csv", "lead_id,occurred_at,action\nA,2026-01-05,demo\nB,2026-01-06,ebook\n")
	writeTestFile(t, dir, "events-2026-02.csv", "lead_id,occurred_at,action\nA,2026-02-01,pricing\nB,2026-02-02,demo\n")
	writeTestFile(t, dir, "events-2026-03.csv", "lead_id,occurred_at,action\nB,2026-02-02,demo\n")
	writeTestFile(t, dir, "notes.md", "not an export\n")
	return dir
}

// TestLoadManyFilesPerKind: a glob and a folder load every file in one
// load, in name order, each logged with its own SHA-256: 5 rows, the
// repeated one skipped, 4 events.
func TestLoadManyFilesPerKind(t *testing.T) {
	dir := monthlyEvents(t)
	for name, arg := range map[string]string{
		"glob":   filepath.Join(dir, "events-2026-*.csv"),
		"folder": dir,
	} {
		t.Run(name, func(t *testing.T) {
			s := openTestStore(t)
			leads := writeTestFile(t, t.TempDir(), "leads.csv", "lead_id,created_at,channel\nA,2026-01-01,web\nB,2026-01-02,web\n")
			res := mustLoad(t, s, LoadRequest{Leads: leads, Events: arg})
			var files []string
			for _, f := range res.Files[1:] {
				files = append(files, filepath.Base(f.Path))
			}
			if got := strings.Join(files, " "); got != "events-2026-01.csv events-2026-02.csv events-2026-03.csv" {
				t.Errorf("event files loaded = %s", got)
			}
			if got := res.Files[3]; got.Added != 0 || got.Duplicates != 1 {
				t.Errorf("March file: %+v, want its row skipped as a duplicate", got)
			}
			st, err := s.Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.Events != 4 || len(st.Loads) != 4 {
				t.Fatalf("%d events, %d files logged; want 4, 4", st.Events, len(st.Loads))
			}
			seen := map[string]bool{}
			for _, l := range st.Loads {
				if len(l.SHA256) != 64 || seen[l.SHA256] || l.LoadID != st.Loads[0].LoadID {
					t.Errorf("load log %+v: want one load, each file its own SHA-256", st.Loads)
				}
				seen[l.SHA256] = true
			}
		})
	}
}

// TestLoadManyFilesRefused: a pattern matching nothing, an empty folder, and
// one bad file among several (which leaves nothing of the others stored).
func TestLoadManyFilesRefused(t *testing.T) {
	dir := monthlyEvents(t)
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, dir, "events-2026-04.csv", "lead_id,occurred_at,action\nA,2026-04-01,demo\nB,2026-04-31,demo\n")
	for _, tc := range []struct {
		name, arg, want string
	}{
		{"no match", filepath.Join(dir, "events-2025-*.csv"), filepath.Join(dir, "events-2025-*.csv") + ": no file matches this pattern"},
		{"empty folder", empty, empty + ": folder holds no file to load"},
		{"bad pattern", filepath.Join(dir, "events-[.csv"), "bad file pattern"},
		{"one bad file", filepath.Join(dir, "events-2026-*.csv"), filepath.Join(dir, "events-2026-04.csv") + ` line 3: column occurred_at: cannot parse "2026-04-31" as a timestamp`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			_, err := s.Load(context.Background(), LoadRequest{Events: tc.arg})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if c := countsOf(t, s); c.events != 0 || c.loads != 0 {
				t.Errorf("a refused load stored %+v", c)
			}
		})
	}
}
