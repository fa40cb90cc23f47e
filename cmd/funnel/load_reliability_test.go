package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadKilledLeavesBeforeOrAfter (issue 7, point 1): a `funnel load` of
// ~1M events killed with SIGKILL at random points, and once while DuckDB
// writes its log and checkpoints at commit, leaves the database with exactly
// the counts it had before that load or exactly the counts one clean load
// gives; the next load works, and loading the killed files again gives the
// clean load's counts. The kill times come from a seeded RNG; the seed is
// logged, and FUNNEL_CRASH_SEED repeats a run.
func TestLoadKilledLeavesBeforeOrAfter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills ~1M-event loads")
	}
	bin := funnelBinary(t)
	dir := t.TempDir()
	// 20k leads (~390k events) already loaded, then 50k leads (~980k
	// events, 47 MB of CSV; its 20k first lead_ids overlap, so the second
	// load both adds and updates leads).
	first := genDataset(t, bin, filepath.Join(dir, "first"), 20000, 1)
	second := genDataset(t, bin, filepath.Join(dir, "second"), 50000, 2)
	base := filepath.Join(dir, "base.duckdb")
	mustLoad(t, bin, base, first)
	before := dbCounts(t, bin, base)

	clean := filepath.Join(dir, "clean.duckdb")
	copyFile(t, base, clean)
	start := time.Now()
	mustLoad(t, bin, clean, second)
	loadTime := time.Since(start)
	after := dbCounts(t, bin, clean)
	if after == before {
		t.Fatalf("the second load changed nothing (%v); the test would prove nothing", after)
	}
	t.Logf("before: %v\nafter:  %v\nclean load of the second batch: %v", before, after, loadTime.Round(time.Millisecond))

	seed := time.Now().UnixNano()
	if s := os.Getenv("FUNNEL_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("FUNNEL_CRASH_SEED: %v", err)
		}
	}
	t.Logf("kill times from seed %d (FUNNEL_CRASH_SEED=%d repeats them)", seed, seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 7))

	// Each plan waits for its moment and returns what it waited for.
	type plan func(p *proc, db string) string
	var plans []plan
	const strata = 3
	for i := range strata {
		// Stratified: one kill in each third of the clean load's duration.
		plans = append(plans, func(p *proc, _ string) string {
			// 0.9: a loaded machine runs some loads faster than the clean one.
			d := time.Duration((float64(i) + rng.Float64()) / strata * 0.9 * float64(loadTime))
			select {
			case <-p.done:
			case <-time.After(time.Until(p.started.Add(d))):
			}
			return fmt.Sprintf("%v after start", d.Round(time.Millisecond))
		})
	}
	plans = append(plans,
		// In the transaction, while events are written.
		func(p *proc, _ string) string {
			if !p.waitLine(func(l string) bool {
				return strings.Contains(l, " events ") && strings.HasSuffix(l, ": writing")
			}, 5*time.Minute) {
				return "end (no 'writing' step seen)"
			}
			d := time.Duration(rng.Float64() * float64(500*time.Millisecond))
			time.Sleep(d)
			return fmt.Sprintf("%v into writing events", d.Round(time.Millisecond))
		},
		// At commit, while DuckDB writes its write-ahead log.
		func(p *proc, db string) string {
			for !p.exited() {
				if st, err := os.Stat(db + ".wal"); err == nil && st.Size() > 0 {
					return fmt.Sprintf("commit (write-ahead log at %d bytes)", st.Size())
				}
				time.Sleep(time.Millisecond)
			}
			return "end (no write-ahead log seen)"
		},
		// In the checkpoint after commit: the log is written and the
		// database file has started to grow.
		func(p *proc, db string) string {
			var dbSize int64 = -1
			for !p.exited() {
				wal, err := os.Stat(db + ".wal")
				if err == nil && wal.Size() > 0 && dbSize < 0 {
					if st, err := os.Stat(db); err == nil {
						dbSize = st.Size()
					}
				}
				if dbSize >= 0 {
					if err != nil {
						return "end (write-ahead log gone before the file grew)"
					}
					if st, err := os.Stat(db); err == nil && st.Size() != dbSize {
						return fmt.Sprintf("checkpoint (log %d bytes, file %d → %d bytes)", wal.Size(), dbSize, st.Size())
					}
				}
				time.Sleep(time.Millisecond)
			}
			return "end (no checkpoint seen)"
		},
	)

	// extra is three new leads, the small load run after each kill.
	extra := filepath.Join(dir, "extra_leads.csv")
	if err := os.WriteFile(extra, []byte("lead_id,created_at,channel\nZ-1,2026-01-05,web\nZ-2,2026-01-06,web\nZ-3,2026-01-07,event\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	retried := false
	for i, wait := range plans {
		db := filepath.Join(dir, fmt.Sprintf("killed%d.duckdb", i))
		copyFile(t, base, db)
		p := startFunnel(t, bin, true, append([]string{"load", "--db", db}, second.loadArgs()...)...)
		when := wait(p, db)
		p.signal(t, syscall.SIGKILL)
		p.wait(t, time.Minute)
		if p.code == exitOK {
			when += ", but the load had finished"
		}
		got := dbCounts(t, bin, db)
		state := "neither before nor after"
		switch got {
		case before:
			state = "before"
		case after:
			state = "after"
		default:
			t.Errorf("kill %d at %s: %v\nwant before: %v\nor after:    %v", i, when, got, before, after)
		}
		t.Logf("kill %d at %s (%v after start): database as %s", i, when, p.elapsed.Round(time.Millisecond), state)

		// The next command works.
		code, _, stderr := runFunnel(t, bin, 2*time.Minute, "load", "--db", db, "--leads", extra)
		if code != exitOK {
			t.Fatalf("kill %d: the next load failed: exit %d: %s", i, code, stderr)
		}
		want := got
		want.Leads += 3
		want.LoadFiles++
		if now := dbCounts(t, bin, db); now != want {
			t.Errorf("kill %d: after loading 3 new leads: %v, want %v", i, now, want)
		}
		// Once, where the kill left the database as before, load the killed
		// files again: they must give what the clean load gave.
		if state == "before" && !retried {
			retried = true
			mustLoad(t, bin, db, second)
			want := after
			want.Leads += 3
			want.LoadFiles++
			if now := dbCounts(t, bin, db); now != want {
				t.Errorf("kill %d: loading the killed files again: %v, want %v", i, now, want)
			}
		}
	}
}

// TestFirstLoadKilled (issue 7, point 1): the first `funnel load` into a
// new database, killed with SIGKILL early (while the file and its tables
// are created) and at random later points, leaves no database, one without
// data, or the whole load; status says which in one line, and the next load
// gives the clean load's counts.
func TestFirstLoadKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills first loads")
	}
	bin := funnelBinary(t)
	dir := t.TempDir()
	data := genDataset(t, bin, filepath.Join(dir, "d"), 10000, 4)
	clean := filepath.Join(dir, "clean.duckdb")
	start := time.Now()
	mustLoad(t, bin, clean, data)
	loadTime := time.Since(start)
	after := dbCounts(t, bin, clean)

	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 11))
	delays := []time.Duration{
		20 * time.Millisecond, // opening: the file exists, its tables may not
		time.Duration(rng.Float64() * float64(150*time.Millisecond)),
		time.Duration(rng.Float64() * float64(loadTime)),
		time.Duration(rng.Float64() * float64(loadTime)),
	}
	for i, d := range delays {
		db := filepath.Join(dir, fmt.Sprintf("new%d.duckdb", i))
		p := startFunnel(t, bin, false, append([]string{"load", "--db", db}, data.loadArgs()...)...)
		select {
		case <-p.done:
		case <-time.After(d):
		}
		p.signal(t, syscall.SIGKILL)
		p.wait(t, time.Minute)

		code, stdout, stderr := runFunnel(t, bin, time.Minute, "status", "--db", db, "--json")
		var state string
		switch {
		case code == exitFailure && stderr == "error: database "+db+" does not exist; create it with funnel load --db "+db+"\n":
			state = "no database"
		case code == exitFailure && stderr == "error: database "+db+" holds no funnel tables (not a funnel workspace, or its first load was interrupted); create them with funnel load --db "+db+"\n":
			state = "no tables"
		case code == exitOK:
			got := dbCounts(t, bin, db)
			switch got {
			case counts{}:
				state = "empty tables"
			case after:
				state = "after"
			default:
				t.Errorf("kill %d after %v: %v, want empty or %v", i, d, got, after)
			}
		default:
			t.Errorf("kill %d after %v: status exit %d, stdout %q, stderr %q", i, d, code, stdout, stderr)
		}
		t.Logf("kill %d after %v (at %v): %s", i, d.Round(time.Millisecond), p.elapsed.Round(time.Millisecond), state)
		mustLoad(t, bin, db, data)
		want := after
		if state == "after" {
			want.LoadFiles *= 2
		}
		if got := dbCounts(t, bin, db); got != want {
			t.Errorf("kill %d: the next load gives %v, want %v", i, got, want)
		}
	}
}
