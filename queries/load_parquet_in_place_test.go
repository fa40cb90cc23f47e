package queries

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// Parquet events, stages and outcomes are staged as views that read the
// file in place (readInPlace); these tests pin what the staging table gave
// before: duplicates within the file dropped, record numbers in errors,
// and a pooled connection that can stage a table after a view.

// TestParquetInPlaceDropsDuplicatesWithinFile loads 300,000 events with 3
// rows repeated (one of them three times), so the repeated-key path runs
// beside the plain copy: 300,000 read, 299,996 distinct (2 extra copies of
// row 7, 1 of row 100, 1 of row 299,999).
func TestParquetInPlaceDropsDuplicatesWithinFile(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(context.Background(), filepath.Join(dir, "f.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	events := filepath.Join(dir, "it's events.parquet") // a quote in the path: the view inlines it
	base := `SELECT 'L' || (i % 1000) AS lead_id, TIMESTAMP '2024-01-01' + to_seconds(i) AS occurred_at,
		'ebook' AS action, CASE WHEN i % 2 = 0 THEN i::DOUBLE END AS value FROM range(300000) t(i)`
	copyTo(t, s, "SELECT * FROM ("+base+") UNION ALL SELECT * FROM ("+base+") WHERE occurred_at IN "+
		"(TIMESTAMP '2024-01-01' + to_seconds(7), TIMESTAMP '2024-01-01' + to_seconds(100), TIMESTAMP '2024-01-01' + to_seconds(299999)) "+
		"UNION ALL SELECT * FROM ("+base+") WHERE occurred_at = TIMESTAMP '2024-01-01' + to_seconds(7)", events, "parquet")

	res := mustLoad(t, s, LoadRequest{Events: events})
	fr := res.Files[0]
	if fr.Rows != 300004 || fr.Added != 300000 || fr.Duplicates != 4 {
		t.Fatalf("first load: rows %d added %d duplicates %d, want 300004/300000/4", fr.Rows, fr.Added, fr.Duplicates)
	}
	var distinct int64
	if err := s.DB().QueryRow("SELECT count(*) FROM (SELECT DISTINCT * FROM events)").Scan(&distinct); err != nil {
		t.Fatal(err)
	}
	if distinct != 300000 {
		t.Fatalf("distinct stored events = %d, want 300000 (every stored row distinct)", distinct)
	}
	again := mustLoad(t, s, LoadRequest{Events: events}).Files[0]
	if again.Added != 0 || again.Duplicates != 300004 {
		t.Fatalf("second load: added %d duplicates %d, want 0/300004", again.Added, again.Duplicates)
	}
}

// TestParquetInPlaceRecordNumberAndReuse: a bad value at record 250,001 of
// a Parquet file (past the first row group) is reported as row 250,001;
// the database is unchanged; and a CSV events file then loads on the same
// store, whose pooled connection had the staging view under the name the
// CSV's staging table takes.
func TestParquetInPlaceRecordNumberAndReuse(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(context.Background(), filepath.Join(dir, "f.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bad := filepath.Join(dir, "events.parquet")
	copyTo(t, s, `SELECT 'L1' AS lead_id,
		CASE WHEN i = 250000 THEN 'next week' ELSE strftime(TIMESTAMP '2024-01-01' + to_seconds(i), '%Y-%m-%d %H:%M:%S') END AS occurred_at,
		'ebook' AS action FROM range(400000) t(i)`, bad, "parquet")
	_, err = s.Load(context.Background(), LoadRequest{Events: bad})
	want := `row 250001: column occurred_at: cannot parse "next week" as a timestamp`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("load: %v, want it to contain %q", err, want)
	}
	if c := countsOf(t, s); c != (tableCounts{}) {
		t.Fatalf("counts after a refused load = %+v, want all zero", c)
	}

	good := filepath.Join(dir, "good.parquet")
	copyTo(t, s, "SELECT 'L1' AS lead_id, TIMESTAMP '2024-01-01' AS occurred_at, 'ebook' AS action", good, "parquet")
	mustLoad(t, s, LoadRequest{Events: good})
	csv := writeTestFile(t, dir, "events.csv", "lead_id,occurred_at,action\nL1,2024-01-01,ebook\nL1,2024-02-01,webinar\n")
	fr := mustLoad(t, s, LoadRequest{Events: csv}).Files[0]
	if fr.Added != 1 || fr.Duplicates != 1 {
		t.Fatalf("csv after parquet: added %d duplicates %d, want 1/1", fr.Added, fr.Duplicates)
	}
	if c := countsOf(t, s); c.events != 2 || c.loads != 2 {
		t.Fatalf("counts = %+v, want 2 events from 2 loads", c)
	}
}
