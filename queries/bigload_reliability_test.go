package queries_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/analysis"
	"github.com/funnel-dev/funnel/queries"
)

// Sizes of the big-input test: 6M events are ~240 MB as DuckDB vectors
// (lead_id, timestamp, action, value at ~40 bytes a row) and 63 MB as
// Parquet, both more than the 60 MB memory limit, so loading them
// (staging, the natural-key check against stored events, the insert) and
// the report's joins must spill. (At 200 MB nothing spills.)
const (
	bigLeads  = 200_000
	bigEvents = 6_000_000
)

// writeBigInput writes leads, events, stages and outcomes Parquet files
// into dir with DuckDB COPY from range(), and returns their paths. Lead j
// (j = 0 … bigLeads−1) is L<j>, created 300 s·j after 2024-01-01, channel
// ch<j mod 8>; event i belongs to lead i mod bigLeads, (i div bigLeads)
// hours after its creation (so no two events are equal), action a<i mod
// 13>. Stages: every lead enters lead at creation, j ≡ 0 (mod 5) mql a day
// later, j ≡ 0 (mod 20) sql 3 days later; j ≡ 0 (mod 40) won 10 days later.
func writeBigInput(t *testing.T, dir string) queries.LoadRequest {
	t.Helper()
	ctx := context.Background()
	gen, err := queries.Open(ctx, ":memory:", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer gen.Close()
	req := queries.LoadRequest{
		Leads:    filepath.Join(dir, "leads.parquet"),
		Events:   filepath.Join(dir, "events.parquet"),
		Stages:   filepath.Join(dir, "stages.parquet"),
		Outcomes: filepath.Join(dir, "outcomes.parquet"),
	}
	const created = `TIMESTAMP '2024-01-01' + to_seconds(300 * j)`
	for _, c := range []struct{ path, query string }{
		{req.Leads, `SELECT 'L' || j AS lead_id, ` + created + ` AS created_at, 'ch' || (j % 8) AS channel
			FROM range(` + fmt.Sprint(bigLeads) + `) r(j)`},
		{req.Events, `SELECT 'L' || j AS lead_id, ` + created + ` + to_hours(i // ` + fmt.Sprint(bigLeads) + `) AS occurred_at,
				'a' || (i % 13) AS action, CASE WHEN i % 3 = 0 THEN NULL ELSE i % 100 END AS value
			FROM (SELECT i, i % ` + fmt.Sprint(bigLeads) + ` AS j FROM range(` + fmt.Sprint(bigEvents) + `) r(i))`},
		{req.Stages, `SELECT 'L' || j AS lead_id, 'lead' AS stage, ` + created + ` AS entered_at FROM range(` + fmt.Sprint(bigLeads) + `) r(j)
			UNION ALL SELECT 'L' || j, 'mql', ` + created + ` + to_days(1) FROM range(0, ` + fmt.Sprint(bigLeads) + `, 5) r(j)
			UNION ALL SELECT 'L' || j, 'sql', ` + created + ` + to_days(3) FROM range(0, ` + fmt.Sprint(bigLeads) + `, 20) r(j)`},
		{req.Outcomes, `SELECT 'L' || j AS lead_id, ` + created + ` + to_days(10) AS closed_at, 'won' AS outcome, 1000 AS amount
			FROM range(0, ` + fmt.Sprint(bigLeads) + `, 40) r(j)`},
	} {
		if _, err := gen.DB().ExecContext(ctx, "COPY ("+c.query+") TO '"+c.path+"' (FORMAT parquet)"); err != nil {
			t.Fatalf("write %s: %v", c.path, err)
		}
	}
	return req
}

// TestBigInputSpills (issue 7, point 6): with a 60 MB memory limit and a
// temporary folder to spill to, 6M events load and the report over them
// completes, with exact counts, and DuckDB did spill to the folder.
func TestBigInputSpills(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 6M events under a 60 MB memory limit")
	}
	ctx := context.Background()
	dir := t.TempDir()
	req := writeBigInput(t, dir)
	if st, err := os.Stat(req.Events); err == nil {
		t.Logf("events.parquet: %.1f MB", float64(st.Size())/1e6)
	}
	spill := t.TempDir()
	st, err := queries.Open(ctx, filepath.Join(dir, "big.duckdb"), queries.Options{MemoryLimit: "60MB", TempDir: spill})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var limit string
	if err := st.DB().QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&limit); err != nil {
		t.Fatal(err)
	}
	t.Logf("memory_limit %s, temp_directory %s", limit, spill)

	watch := watchSpill(spill)
	start := time.Now()
	res, err := st.Load(ctx, req)
	if err != nil {
		t.Fatalf("load under 60 MB: %v", err)
	}
	t.Logf("load: %v; at most %.1f MB spilled", time.Since(start).Round(time.Millisecond), watch.peakMB())
	loadPeak := watch.peakMB()
	status, err := st.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Stage rows: bigLeads lead entries + bigLeads/5 mql + bigLeads/20 sql
	// = 200000 + 40000 + 10000 = 250000; outcomes bigLeads/40 = 5000.
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"leads", status.Leads, bigLeads},
		{"events", status.Events, bigEvents},
		{"stages", status.Stages, bigLeads + bigLeads/5 + bigLeads/20},
		{"outcomes", status.Outcomes, bigLeads / 40},
		{"load id", res.LoadID, 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}

	start = time.Now()
	r, err := analysis.Compute(ctx, st, analysis.Options{})
	if err != nil {
		t.Fatalf("report under 60 MB: %v", err)
	}
	peak := watch.stop()
	t.Logf("report: %v; at most %.1f MB spilled during load and report", time.Since(start).Round(time.Millisecond), peak)
	if peak == 0 {
		t.Errorf("nothing was spilled to %s (load peak %.1f MB): the test does not exercise spilling", spill, loadPeak)
	}
	// Reached counts a lead in a stage it entered or any later one:
	// lead 200000; mql: j ≡ 0 (mod 5) ⊇ the sql and won leads = 40000;
	// sal and sql: j ≡ 0 (mod 20) = 10000; opportunity and won: j ≡ 0
	// (mod 40) = 5000.
	want := map[string]int64{"lead": 200000, "mql": 40000, "sal": 10000, "sql": 10000, "opportunity": 5000, "won": 5000}
	for _, s := range r.Total.Reached {
		if s.Leads != want[s.Stage] {
			t.Errorf("reached %s = %d, want %d", s.Stage, s.Leads, want[s.Stage])
		}
	}
	if len(r.ByChannel) != 8 || len(r.ByAction) != 13 {
		t.Errorf("%d channels, %d actions; want 8 and 13", len(r.ByChannel), len(r.ByAction))
	}
}

// spillWatch polls a folder for the total size of its files.
type spillWatch struct {
	mu   sync.Mutex
	peak int64
	done chan struct{}
	wg   sync.WaitGroup
}

// watchSpill starts polling dir every 5 ms until stop.
func watchSpill(dir string) *spillWatch {
	w := &spillWatch{done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for {
			var total int64
			if entries, err := os.ReadDir(dir); err == nil {
				for _, e := range entries {
					if info, err := e.Info(); err == nil {
						total += info.Size()
					}
				}
			}
			w.mu.Lock()
			w.peak = max(w.peak, total)
			w.mu.Unlock()
			select {
			case <-w.done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return w
}

// peakMB is the largest total seen so far, in MB.
func (w *spillWatch) peakMB() float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return float64(w.peak) / 1e6
}

// stop ends the polling and returns the peak in MB.
func (w *spillWatch) stop() float64 {
	close(w.done)
	w.wg.Wait()
	return w.peakMB()
}
