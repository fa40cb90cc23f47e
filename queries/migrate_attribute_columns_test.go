package queries

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestAttributeColumnsMigration writes a workspace of schema version 2,
// whose attributes are rows of the table lead_attributes, and upgrades it
// with a load: each attribute becomes a column of leads, the view
// lead_attributes gives back the same rows (a NULL value none; two names
// differing only in case one column named by the smallest of them, the
// smallest value kept), and the leads keep their stored order.
func TestAttributeColumnsMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:2] {
		if _, err := db.ExecContext(ctx, m.sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, schemaVersionCreateSQL); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:2] {
		if _, err := db.ExecContext(ctx, schemaVersionRecordSQL, m.version, m.name); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO leads VALUES ('L3', '2024-01-03', 'web'), ('L1', '2024-01-01', 'ads'), ('L2', NULL, 'web')`,
		`INSERT INTO lead_attributes VALUES
			('L3', 'title', 'cto'), ('L1', 'title', 'intern'), ('L1', 'Size', '5'),
			('L2', 'size', '7'), ('L2', 'SIZE', '3'), ('L2', 'title', NULL)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Read as it is, the workspace still gives its attributes from the table.
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	before := attributeNamesAndRows(t, ro)
	ro.Close()
	if want := "SIZE Size size title | L1 Size=5, L1 title=intern, L2 SIZE=3, L2 size=7, L3 title=cto"; before != want {
		t.Errorf("attributes read from the old table = %q, want %q", before, want)
	}

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustLoad(t, s, LoadRequest{Events: writeTestFile(t, t.TempDir(), "e.csv", "lead_id,occurred_at,action\nL1,2024-02-01,demo\n")})
	if got := versionOf(t, s); got != 3 {
		t.Fatalf("version after the load = %d, want 3", got)
	}
	got := textRows(t, s, `SELECT lead_id || ' ' || name || '=' || value FROM lead_attributes ORDER BY ALL`)
	want := []string{"L1 SIZE=5", "L1 title=intern", "L2 SIZE=3", "L3 title=cto"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("attributes after the upgrade = %q, want %q", got, want)
	}
	got = textRows(t, s, `SELECT lead_id || ' ' || channel || ' ' || coalesce(strftime(created_at, '%Y-%m-%d'), '-') FROM leads ORDER BY rowid`)
	want = []string{"L3 web 2024-01-03", "L1 ads 2024-01-01", "L2 web -"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("leads in stored order after the upgrade = %q, want %q", got, want)
	}
	if after, want := attributeNamesAndRows(t, s), "SIZE title | L1 SIZE=5, L1 title=intern, L2 SIZE=3, L3 title=cto"; after != want {
		t.Errorf("attributes read from the columns = %q, want %q", after, want)
	}
	got = textRows(t, s, `SELECT column_name || ' ' || is_nullable FROM information_schema.columns WHERE table_name = 'leads' ORDER BY ordinal_position`)
	want = []string{"lead_id NO", "created_at YES", "channel NO", "attr:SIZE YES", "attr:title YES"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("columns of leads after the upgrade = %q, want %q", got, want)
	}
}

// attributeNamesAndRows reads the attribute names a model may use and the
// values of size and title through FeatureNames and FeatureAttributes.
func attributeNamesAndRows(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	src, err := s.attributeNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := textRows(t, s, "SELECT name FROM "+src+" GROUP BY name ORDER BY name")
	rows, err := s.attributeRows(ctx, []string{"SIZE", "title"})
	if err != nil {
		t.Fatal(err)
	}
	vals := textRows(t, s, "SELECT lead_id || ' ' || name || '=' || value FROM "+rows+" WHERE value IS NOT NULL ORDER BY ALL")
	return strings.Join(names, " ") + " | " + strings.Join(vals, ", ")
}
