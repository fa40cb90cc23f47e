package queries

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDirectLoadFillsRowGroups: events read from a Parquet file whose row
// groups each hold a little more than DuckDB's 122,880 rows are stored in
// full row groups (insertInFullRowGroups), not each of the file's row
// groups in one full row group and one of a few thousand rows. The file
// has 10 row groups of 124,928 events (DuckDB's writer rounds ROW_GROUP_SIZE
// 123000 up to whole vectors of 2,048), 1,249,280 events: 10 full row groups
// and 20,480 rows. With two threads, each filling its own, that is at most
// 12 row groups, 2 of them not full; in file order it was 15, 5 not full.
func TestDirectLoadFillsRowGroups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const rowGroup, fileRowGroups, events = 122_880, 10, 1_249_280
	req := parquetEventsRequest(t, dir)
	writeEventsParquet(t, req.Events, events, -1)
	var fileGroups, fileSmallest int
	if err := openTestStore(t).DB().QueryRowContext(ctx, `SELECT count(DISTINCT row_group_id), min(row_group_num_rows)
		FROM parquet_metadata($1)`, req.Events).Scan(&fileGroups, &fileSmallest); err != nil {
		t.Fatal(err)
	}
	if fileGroups != fileRowGroups || fileSmallest <= rowGroup {
		t.Fatalf("the Parquet file has %d row groups, the smallest of %d rows; want %d, each of more than %d",
			fileGroups, fileSmallest, fileRowGroups, rowGroup)
	}

	s, err := Open(ctx, filepath.Join(dir, "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.DB().ExecContext(ctx, "SET threads = 2"); err != nil {
		t.Fatal(err)
	}
	res, err := s.Load(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Files[1].Added; got != events {
		t.Fatalf("%d events added, want %d", got, events)
	}
	var groups, small int
	q := `SELECT count(*), count(*) FILTER (WHERE n < $1) FROM (
		SELECT row_group_id, max(start + count) - min(start) AS n
		FROM pragma_storage_info('events') WHERE column_id = 0 GROUP BY row_group_id)`
	if err := s.DB().QueryRowContext(ctx, q, rowGroup).Scan(&groups, &small); err != nil {
		t.Fatal(err)
	}
	if groups > 12 || small > 2 {
		t.Errorf("events stored in %d row groups, %d not full; want at most 12 and 2", groups, small)
	}
	keepsInsertionOrder(t, s)
}

// TestFailedDirectLoadKeepsInsertionOrder: an events file whose one-pass
// insert fails on a bad row (and is then refused by the staged path, by
// line) leaves DuckDB's insertion order on, as it found it.
func TestFailedDirectLoadKeepsInsertionOrder(t *testing.T) {
	dir := t.TempDir()
	req := LoadRequest{
		Leads:  writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel\nL0,2024-01-01,web\n"),
		Events: writeTestFile(t, dir, "events.csv", "lead_id,occurred_at,action,value\nL0,2024-01-02,demo,\nL0,yesterday,demo,\n"),
	}
	s, _, err := loadOnJune1(t, req)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("load: %v, want the bad timestamp on line 3", err)
	}
	keepsInsertionOrder(t, s)
}

// keepsInsertionOrder fails t unless s's DuckDB keeps insertion order.
func keepsInsertionOrder(t *testing.T, s *Store) {
	t.Helper()
	var on bool
	if err := s.DB().QueryRow("SELECT current_setting('preserve_insertion_order')").Scan(&on); err != nil {
		t.Fatal(err)
	}
	if !on {
		t.Error("the load left DuckDB's insertion order off")
	}
}

// TestDirectLoadLeavesNoDeletedRow: a copy an events file repeats, dropped
// after the load's commit, leaves no deleted row in the stored table
// (dropRewriting): its row group is written again without it, so once the
// workspace is closed and opened again the rowids run 0 … count−1 without
// a gap, and the events are the file's, the repeated one once. With the
// copy deleted alone, rowid 1,249,281 would remain past 1,249,280 events.
func TestDirectLoadLeavesNoDeletedRow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const events, repeated = 1_249_280, 777
	req := parquetEventsRequest(t, dir)
	writeEventsParquet(t, req.Events, events, repeated)
	path := filepath.Join(dir, "w.duckdb")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Load(ctx, req)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Files[1]; f.Rows != events+1 || f.Added != events || f.Duplicates != 1 {
		t.Fatalf("events file: %d rows read, %d added, %d duplicates; want %d, %d, 1", f.Rows, f.Added, f.Duplicates, events+1, events)
	}
	s, err = Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n, span, distinct, once int64
	q := `SELECT count(*), max(rowid) + 1, count(DISTINCT (lead_id, occurred_at, action, value)),
		count(*) FILTER (WHERE occurred_at = TIMESTAMP '2024-01-03' + to_seconds($1)) FROM events`
	if err := s.DB().QueryRowContext(ctx, q, repeated).Scan(&n, &span, &distinct, &once); err != nil {
		t.Fatal(err)
	}
	if n != events || distinct != events || once != 1 {
		t.Errorf("%d events stored, %d distinct, the repeated one %d times; want %d, %d, 1", n, distinct, once, events, events)
	}
	if span != n {
		t.Errorf("rowids span %d for %d events: the table keeps deleted rows", span, n)
	}
}

// writeEventsParquet writes n events to a Parquet file at path, in row
// groups of 124,928 (one thread writes ROW_GROUP_SIZE 123000 rounded up to
// whole vectors of 2,048): event i of lead L<i mod 2>, at 2024-01-03 plus
// i seconds, action a<i mod 7>, value i mod 100. With repeat ≥ 0, event
// repeat is written a second time, last.
func writeEventsParquet(t *testing.T, path string, n, repeat int) {
	t.Helper()
	gen := openTestStore(t)
	rows := fmt.Sprintf(`SELECT 'L' || (i %% 2) AS lead_id, TIMESTAMP '2024-01-03' + to_seconds(i) AS occurred_at,
			'a' || (i %% 7) AS action, i %% 100 AS value
		FROM range(%d) r(i)`, n)
	if repeat >= 0 {
		rows += fmt.Sprintf(" UNION ALL SELECT 'L' || (%d %% 2), TIMESTAMP '2024-01-03' + to_seconds(%d), 'a' || (%d %% 7), %d %% 100",
			repeat, repeat, repeat, repeat)
	}
	for _, q := range []string{"SET threads = 1",
		fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 123000)", rows, path)} {
		if _, err := gen.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// parquetEventsRequest is a load of two leads (L0, L1) and the events
// Parquet file writeEventsParquet writes into dir, on 1 June 2024.
func parquetEventsRequest(t *testing.T, dir string) LoadRequest {
	return LoadRequest{
		Leads:  writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel\nL0,2024-01-01,web\nL1,2024-01-02,event\n"),
		Events: filepath.Join(dir, "events.parquet"),
		Now:    func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) },
	}
}
