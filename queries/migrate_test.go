package queries

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// copyFirstSchemaWorkspace copies testdata/v001/workspace.duckdb, written
// by funnel before migrations were numbered, into a temporary folder.
func copyFirstSchemaWorkspace(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "v001", "workspace.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "old.duckdb")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// versionOf reads the schema version recorded in the store.
func versionOf(t *testing.T, s *Store) int {
	t.Helper()
	v, err := workspaceVersion(context.Background(), s.DB())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrationsNumberedFromOne(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 || ms[0].name != "001_schema.sql" || ms[1].name != "002_undated_leads.sql" {
		t.Fatalf("migrations = %v, want 001_schema.sql, 002_undated_leads.sql, …", ms)
	}
	if SchemaVersion() != len(ms) {
		t.Fatalf("SchemaVersion() = %d, want %d", SchemaVersion(), len(ms))
	}
}

func TestNewWorkspaceHasNewestSchema(t *testing.T) {
	s := openTestStore(t)
	if got := versionOf(t, s); got != SchemaVersion() {
		t.Fatalf("version = %d, want %d", got, SchemaVersion())
	}
	var applied int
	if err := s.DB().QueryRow("SELECT count(*) FROM schema_version").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != SchemaVersion() {
		t.Fatalf("schema_version rows = %d, want one per migration (%d)", applied, SchemaVersion())
	}
}

// TestFirstSchemaWorkspaceOpensAndUpgrades opens the workspace kept in
// testdata/v001 (3 leads, 2 stored attributes, 3 events, 2 stages, 2
// outcomes, one load of four files): read
// only it reads as it is (version 1); a load upgrades it to the newest
// version and its old rows are all still there, beside the new ones.
func TestFirstSchemaWorkspaceOpensAndUpgrades(t *testing.T) {
	ctx := context.Background()
	path := copyFirstSchemaWorkspace(t)

	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a first-schema workspace: %v", err)
	}
	if got := versionOf(t, ro); got != 1 {
		t.Errorf("version before upgrade = %d, want 1", got)
	}
	if got, want := countsOf(t, ro), (tableCounts{leads: 3, events: 3, stages: 2, outcomes: 2, attrs: 2, loads: 4}); got != want {
		t.Errorf("counts before upgrade = %+v, want %+v", got, want)
	}
	ro.Close()

	rw, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("read-write open of a first-schema workspace: %v", err)
	}
	defer rw.Close()
	events := writeTestFile(t, t.TempDir(), "events.csv", "lead_id,occurred_at,action,value\nL3,2024-02-05 08:00:00,pricing,\n")
	mustLoad(t, rw, LoadRequest{Events: events})
	if got := versionOf(t, rw); got != SchemaVersion() {
		t.Errorf("version after load = %d, want %d", got, SchemaVersion())
	}
	// schema_version records the migrations applied by the upgrade: 002 on.
	var first int
	if err := rw.DB().QueryRow("SELECT min(version) FROM schema_version").Scan(&first); err != nil {
		t.Fatal(err)
	}
	if first != 2 {
		t.Errorf("first migration applied by the upgrade = %d, want 2", first)
	}
	got := textRows(t, rw, "SELECT lead_id || ' ' || strftime(created_at, '%Y-%m-%d') || ' ' || channel FROM leads ORDER BY lead_id")
	want := []string{"L1 2024-01-05 webinar", "L2 2024-01-20 referral", "L3 2024-02-03 webinar"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("leads after upgrade = %v, want %v", got, want)
	}
	if c := countsOf(t, rw); c.events != 4 || c.outcomes != 2 || c.stages != 2 || c.loads != 5 {
		t.Errorf("counts after upgrade and load = %+v, want 4 events, 2 outcomes, 2 stages, 5 loads", c)
	}
	// Migration 002: an undated lead and an undated outcome can be stored.
	if _, err := rw.DB().Exec("INSERT INTO leads (lead_id, created_at, channel) VALUES ('L9', NULL, 'web')"); err != nil {
		t.Errorf("undated lead after upgrade: %v", err)
	}
	if _, err := rw.DB().Exec("INSERT INTO outcomes VALUES ('L9', NULL, 'won', NULL)"); err != nil {
		t.Errorf("undated outcome after upgrade: %v", err)
	}
}

// TestNewerWorkspaceRefused: a workspace recording a schema version above
// this funnel's is refused by read-only and read-write opens alike, the
// message naming both versions, and the file is left as it was.
func TestNewerWorkspaceRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.duckdb")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	future := SchemaVersion() + 7
	if _, err := s.DB().Exec("INSERT INTO schema_version VALUES (?, 'from_the_future.sql', TIMESTAMP '2030-01-01')", future); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{ReadOnly: true}, {}} {
		s, err := Open(ctx, path, opts)
		if err == nil {
			s.Close()
			t.Fatalf("open %+v of a newer workspace succeeded", opts)
		}
		if !errors.Is(err, ErrNewerWorkspace) {
			t.Errorf("open %+v: error %v is not ErrNewerWorkspace", opts, err)
		}
		msg := err.Error()
		for _, want := range []string{path, "version " + strconv.Itoa(future), "up to version " + strconv.Itoa(SchemaVersion())} {
			if !strings.Contains(msg, want) {
				t.Errorf("open %+v: message %q does not name %q", opts, msg, want)
			}
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("refused opens changed the workspace file")
	}
}
