package queries

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestLeadActionsOnePassEqualsTwoPass builds fl_act both ways, with a
// landmark of 10 days, on the feature fixture plus events that exercise
// every branch: an orphan lead, events before a lead's creation, a lead
// whose events straddle its landmark (L1, created 01-01, landmark 01-11:
// page view 01-02 before it, page view at 01-11 exactly and demo requests
// after it; see testdata/features/fixture.sql), a lead whose last event
// is at its landmark exactly (L4: page view 11-02, webinar 11-11), a lead
// with every event before its landmark (L5), one whose only event is at
// its landmark (L3's webinar on 02-11), and an action outside the tracked set
// dated before its lead's creation (L6, created 03-01; so is L2's 12-20
// pricing view: two events before creation).
// The two tables must be equal row for row.
func TestLeadActionsOnePassEqualsTwoPass(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO events VALUES
		('X9','2025-01-03','ebook',NULL), ('X9','2025-01-04','ebook',NULL),
		('L2','2024-12-20','pricing',NULL), ('L3','2025-02-11','webinar',NULL),
		('L6','2025-02-01','not_tracked',NULL), ('L4','2025-11-11','webinar',NULL)`); err != nil {
		t.Fatal(err)
	}
	f, err := s.FunnelSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	end, _, err := f.DataEnd(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.BuildEntries(ctx, []string{"lead", "mql", "sal", "sql", "opportunity", "won"}, []string{"recycled"}); err != nil {
		t.Fatal(err)
	}
	if err := f.BuildLeads(ctx, FunnelLeadParams{LastIdx: 5, QualifiedIdx: 1, WindowDays: 90, DataEnd: end,
		To: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	actions := []string{"page_view", "demo_request", "pricing", "ebook", "webinar"}
	if err := f.exec(ctx, "one pass", funnelLeadActionsOnePassSQL, actions, 10); err != nil {
		t.Fatal(err)
	}
	if err := f.exec(ctx, "keep", "CREATE OR REPLACE TEMP TABLE fl_act_one AS SELECT * FROM fl_act"); err != nil {
		t.Fatal(err)
	}
	if err := f.buildLeadActionsTwoPass(ctx, actions, 10); err != nil {
		t.Fatal(err)
	}
	var rows, orphanEvents, before, masked, differ int64
	if err := f.conn.QueryRowContext(ctx, `SELECT count(*),
		coalesce(sum(events) FILTER (WHERE lead_no IS NULL), 0), sum(before_creation), count(mask),
		(SELECT count(*) FROM (SELECT * FROM fl_act EXCEPT ALL SELECT * FROM fl_act_one))
		+ (SELECT count(*) FROM (SELECT * FROM fl_act_one EXCEPT ALL SELECT * FROM fl_act))
		FROM fl_act`).Scan(&rows, &orphanEvents, &before, &masked, &differ); err != nil {
		t.Fatal(err)
	}
	// Leads with events: L1, L2, L3, L4, L5, L6, plus the orphan row.
	if rows != 7 || orphanEvents != 2 || before != 2 || differ != 0 {
		t.Errorf("fl_act: %d rows, %d orphan events, %d before creation, %d rows differ between one and two passes; want 7, 2, 2, 0",
			rows, orphanEvents, before, differ)
	}
	if masked < 3 {
		t.Errorf("only %d rows have a mask: the fixture does not exercise the mask", masked)
	}
}

// TestIsOutOfMemory: a real DuckDB out-of-memory error is recognised (it
// sends BuildLeadActions to its two passes); other errors are not.
func TestIsOutOfMemory(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET memory_limit = '2MB'"); err != nil {
		t.Fatal(err)
	}
	_, err = conn.ExecContext(ctx, "CREATE TEMP TABLE big AS SELECT i, i::VARCHAR || repeat('x', 40) AS s FROM range(3000000) t(i) ORDER BY s DESC")
	if err == nil || !strings.Contains(err.Error(), "Out of Memory") {
		t.Fatalf("a sort of 3M rows under 2 MB gave %v, want an out-of-memory error", err)
	}
	if !isOutOfMemory(err) {
		t.Errorf("isOutOfMemory(%v) = false, want true", err)
	}
	_, err = conn.ExecContext(ctx, "SELECT * FROM no_such_table")
	if err == nil || isOutOfMemory(err) {
		t.Errorf("isOutOfMemory(%v) = true, want false for a catalog error", err)
	}
}
