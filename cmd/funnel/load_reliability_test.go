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

// commitTrials is how many loads TestLoadKilledLeavesBeforeOrAfter kills in
// their commit (issue 13: 20 of 20 must leave before or after).
const commitTrials = 20

// killAttempts is how many times a trial may start its load again when the
// kill came after the load had finished; the trial fails if none landed.
const killAttempts = 3

// waitPlan picks the moment of a kill: attempt counts from 1, and last is
// how long the previous attempt's load ran to its end (0 on the first).
type waitPlan func(attempt int, last time.Duration) func(p *proc, dir string) string

// killTrial is one load killed at a moment chosen by plan: it copies base
// (nothing when base is "") to dir/w.duckdb, starts the load, waits as
// planned and sends SIGKILL; when the load had already finished, it starts
// again from base, up to killAttempts times. It returns the workspace and
// what the wait said, and fails the test when no kill landed while the load
// ran.
func killTrial(t *testing.T, bin, dir, base string, d dataset, plan waitPlan) (db, when string) {
	t.Helper()
	db = filepath.Join(dir, "w.duckdb")
	var last time.Duration
	for attempt := 1; attempt <= killAttempts; attempt++ {
		wait := plan(attempt, last)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if base != "" {
			copyFile(t, base, db)
		}
		p := startFunnel(t, bin, false, append([]string{"load", "--db", db}, d.loadArgs()...)...)
		when = wait(p, dir)
		p.signal(t, syscall.SIGKILL)
		p.wait(t, time.Minute)
		if killedWhileLoading(p) {
			return db, fmt.Sprintf("%s (%v after start)", when, p.elapsed.Round(time.Millisecond))
		}
		last = p.elapsed
		t.Logf("%s: the load finished before the kill (exit %d after %v); attempt %d of %d", when, p.code, p.elapsed.Round(time.Millisecond), attempt, killAttempts)
	}
	t.Fatalf("none of %d kills landed while the load ran", killAttempts)
	return "", ""
}

// inCommit waits until a write-ahead log of the workspace or of its working
// copy appears for the nth time, then a random 0–30 ms more. The load's
// commit writes the first log of a load into an existing workspace, and the
// second of a first load (whose copy logs its new tables first).
func inCommit(rng *rand.Rand, n int) waitPlan {
	return func(int, time.Duration) func(p *proc, dir string) string {
		delay := time.Duration(rng.Int64N(int64(30*time.Millisecond) + 1))
		return func(p *proc, dir string) string {
			wal := waitForLog(p, dir, "w.duckdb", n)
			if wal == "" {
				return "end (no write-ahead log seen)"
			}
			time.Sleep(delay)
			return fmt.Sprintf("%v after %s appeared", delay.Round(100*time.Microsecond), wal)
		}
	}
}

// afterDelay waits d from the start of the load; when a previous attempt's
// load ended before d, a random moment within that load's duration.
func afterDelay(rng *rand.Rand, d time.Duration) waitPlan {
	return func(attempt int, last time.Duration) func(p *proc, dir string) string {
		if attempt > 1 {
			d = time.Duration(rng.Float64() * 0.9 * float64(last))
		}
		return func(p *proc, _ string) string {
			select {
			case <-p.done:
			case <-time.After(time.Until(p.started.Add(d))):
			}
			return fmt.Sprintf("%v after start", d.Round(time.Millisecond))
		}
	}
}

// afterCheckpoint waits until the working copy's log has come and gone
// (DuckDB's commit and checkpoint are done; the copy is about to be
// renamed over the workspace).
func afterCheckpoint(int, time.Duration) func(p *proc, dir string) string {
	return func(p *proc, dir string) string {
		wal := waitForLog(p, dir, "w.duckdb", 1)
		if wal == "" {
			return "end (no write-ahead log seen)"
		}
		for !p.exited() {
			if _, err := os.Stat(filepath.Join(dir, wal)); os.IsNotExist(err) {
				return wal + " removed by the checkpoint"
			}
			time.Sleep(200 * time.Microsecond)
		}
		return "end (log never removed)"
	}
}

// whenReplaced waits until the workspace file changes in any way (another
// file in its place, another size or modification time) and returns at
// once: a kill then lands in or right after the replacement, where a
// workspace rewritten in place would be torn.
func whenReplaced(int, time.Duration) func(p *proc, dir string) string {
	return func(p *proc, dir string) string {
		db := filepath.Join(dir, "w.duckdb")
		was, err := os.Stat(db)
		for !p.exited() {
			now, nerr := os.Stat(db)
			switch {
			case err != nil && nerr == nil:
				return "the workspace file appeared"
			case err == nil && (nerr != nil || !os.SameFile(was, now) || was.Size() != now.Size() || !was.ModTime().Equal(now.ModTime())):
				return "the workspace file changed"
			}
			time.Sleep(100 * time.Microsecond)
		}
		return "end (the workspace file never changed)"
	}
}

// updatedLeads is the "updated" count of the leads row of funnel load's
// summary table.
func updatedLeads(t *testing.T, stdout string) int {
	t.Helper()
	return summaryField(t, stdout, "leads", 4)
}

// repeatFirstRow appends a copy of the first row of the CSV file at path
// (its second line) to it.
func repeatFirstRow(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 3)
	if len(lines) < 3 {
		t.Fatalf("%s has no row to repeat", path)
	}
	if !strings.HasSuffix(string(b), "\n") {
		b = append(b, '\n')
	}
	if err := os.WriteFile(path, append(b, lines[1]+"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// summaryField is field k (from 0) of the row of kind in a load's summary
// on stdout, as a number.
func summaryField(t *testing.T, stdout, kind string, k int) int {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) > k && f[0] == kind {
			n, err := strconv.Atoi(f[k])
			if err != nil {
				t.Fatalf("field %d of %q: %v", k, line, err)
			}
			return n
		}
	}
	t.Fatalf("no %s row in the load summary:\n%s", kind, stdout)
	return 0
}

// TestLoadKilledLeavesBeforeOrAfter (issue 13, items 1 and 9): a second
// load into a workspace with prior data, which adds leads, updates 1,000
// stored leads (created_at, channel) and replaces their attributes, and adds
// events, stages and outcomes, is killed with SIGKILL 20 times in its commit
// (0–30 ms after a write-ahead log appears: DuckDB's commit alone is not
// atomic under kill -9 here) and at other moments (anywhere in the load;
// after the checkpoint; as soon as the workspace file changes). Every kill must land while the
// load runs, and leave every table's checksum exactly as before the load or
// exactly as after a clean one; status then works, and loading the killed
// files again gives the clean result. The seed is logged; FUNNEL_KILL_SEED
// replays it.
func TestLoadKilledLeavesBeforeOrAfter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills 27 loads")
	}
	bin := funnelBinary(t)
	rng := killRNG(t)
	dir := t.TempDir()
	// 1,000 leads loaded, then 1,400 (~27k events) whose first 1,000
	// lead_ids are the same leads drawn again with another seed.
	// FUNNEL_KILL_LEADS=N makes the second load N leads (the first 5/7 of
	// that): DuckDB's own commit tore in 2 of 8 kills at N=20000 (~390k
	// events), in none at this size.
	firstLeads, secondLeads := 1000, 1400
	if v := os.Getenv("FUNNEL_KILL_LEADS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 7 {
			t.Fatalf("FUNNEL_KILL_LEADS=%q: want a number of leads, at least 7", v)
		}
		firstLeads, secondLeads = n*5/7, n
	}
	first := genDataset(t, bin, filepath.Join(dir, "first"), firstLeads, 1)
	second := genDataset(t, bin, filepath.Join(dir, "second"), secondLeads, 2)
	base := filepath.Join(dir, "base.duckdb")
	mustLoad(t, bin, base, first)
	before := checksums(t, base)

	clean := filepath.Join(dir, "clean.duckdb")
	copyFile(t, base, clean)
	start := time.Now()
	code, stdout, stderr := runFunnel(t, bin, 5*time.Minute, append([]string{"load", "--db", clean}, second.loadArgs()...)...)
	if code != exitOK {
		t.Fatalf("clean load: exit %d: %s", code, stderr)
	}
	loadTime := time.Since(start)
	after := checksums(t, clean)
	// The kills prove something only if the load changes every table,
	// updating stored leads rather than only adding.
	if n := updatedLeads(t, stdout); n != firstLeads {
		t.Fatalf("the second load updated %d leads, want %d", n, firstLeads)
	}
	for table := range sumQueries {
		if before[table] == after[table] {
			t.Fatalf("the second load leaves %s unchanged (%s)", table, before[table])
		}
	}
	t.Logf("clean second load: %v\nbefore:%v\nafter:%v", loadTime.Round(time.Millisecond), before, after)

	judge := func(t *testing.T, i int, db, when string) string {
		t.Helper()
		got := checksums(t, db)
		state := "neither"
		switch {
		case got.equal(before):
			state = "before"
		case got.equal(after):
			state = "after"
		default:
			t.Errorf("kill %d at %s: neither before nor after: differs from before in %v, from after in %v; holds:%v",
				i, when, got.differing(before), got.differing(after), got)
		}
		if code, _, stderr := runFunnel(t, bin, time.Minute, "status", "--db", db); code != exitOK {
			t.Errorf("kill %d: status after the kill: exit %d: %s", i, code, stderr)
		}
		t.Logf("kill %d at %s: as %s", i, when, state)
		return state
	}
	// reload loads the killed files again into a workspace left as before:
	// it must give the clean load's tables, and remove the killed load's
	// working copy.
	reload := func(t *testing.T, i int, db string) {
		t.Helper()
		mustLoad(t, bin, db, second)
		if got := checksums(t, db); !got.equal(after) {
			t.Errorf("kill %d: loading the killed files again differs from the clean load in %v", i, got.differing(after))
		}
		if left := workingCopies(t, filepath.Dir(db), baseName(db)); len(left) > 0 {
			t.Errorf("kill %d: the next load left the killed load's working copy: %v", i, left)
		}
	}

	t.Run("commit", func(t *testing.T) {
		states := map[string]int{}
		reloaded := false
		for i := range commitTrials {
			db, when := killTrial(t, bin, filepath.Join(dir, fmt.Sprintf("commit%d", i)), base, second, inCommit(rng, 1))
			state := judge(t, i, db, when)
			states[state]++
			if state == "before" && !reloaded {
				reloaded = true
				reload(t, i, db)
			}
		}
		t.Logf("%d kills in the commit: %d as before, %d as after, %d neither", commitTrials, states["before"], states["after"], states["neither"])
	})

	t.Run("anywhere", func(t *testing.T) {
		const strata = 4
		var waits []waitPlan
		for i := range strata {
			// One kill in each quarter of the clean load's time (0.9: a
			// loaded machine runs some loads faster than the clean one).
			d := time.Duration((float64(i) + rng.Float64()) / strata * 0.9 * float64(loadTime))
			waits = append(waits, afterDelay(rng, d))
		}
		waits = append(waits, afterCheckpoint, whenReplaced, whenReplaced)
		reloaded := false
		for i, wait := range waits {
			db, when := killTrial(t, bin, filepath.Join(dir, fmt.Sprintf("any%d", i)), base, second, wait)
			if judge(t, i, db, when) == "before" && !reloaded {
				reloaded = true
				reload(t, i, db)
			}
		}
	})
}

// TestFirstLoadKilled (issue 13, items 8 and 9): the first load into a new
// workspace, killed with SIGKILL early (while its file is created), in its
// commit (0–30 ms after a write-ahead log appears), at random moments and
// as soon as its file appears, leaves either no file at all or the whole load, checked by every table's
// checksum; status says which in one line, and the next load gives the clean
// load's tables and removes the killed load's working copy. The events
// file repeats a row, which a first load drops in a second transaction
// after its own (see writeFiles in queries/load.go): kills land in both.
// The seed is logged; FUNNEL_KILL_SEED replays it.
func TestFirstLoadKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills first loads")
	}
	bin := funnelBinary(t)
	rng := killRNG(t)
	dir := t.TempDir()
	data := genDataset(t, bin, filepath.Join(dir, "d"), 1000, 4)
	repeatFirstRow(t, data.events)
	clean := filepath.Join(dir, "clean.duckdb")
	start := time.Now()
	code, stdout, stderr := runFunnel(t, bin, 5*time.Minute, append([]string{"load", "--db", clean}, data.loadArgs()...)...)
	if code != exitOK {
		t.Fatalf("clean load: exit %d: %s", code, stderr)
	}
	if n := summaryField(t, stdout, "events", 5); n != 1 {
		t.Fatalf("the clean load skipped %d repeated events, want 1:\n%s", n, stdout)
	}
	loadTime := time.Since(start)
	after := checksums(t, clean)

	waits := []waitPlan{
		afterDelay(rng, time.Duration(rng.Int64N(int64(150*time.Millisecond)))), // the file is being created
		afterDelay(rng, time.Duration(rng.Float64()*0.9*float64(loadTime))),
	}
	for range 6 {
		waits = append(waits, inCommit(rng, 2))
	}
	waits = append(waits, whenReplaced)
	states := map[string]int{}
	for i, wait := range waits {
		db, when := killTrial(t, bin, filepath.Join(dir, fmt.Sprintf("new%d", i)), "", data, wait)
		code, stdout, stderr := runFunnel(t, bin, time.Minute, "status", "--db", db, "--json")
		got := checksums(t, db)
		state := "neither"
		switch {
		case got == nil && code == exitFailure && stderr == "error: database "+db+" does not exist; create it with funnel load --db "+db+"\n":
			state = "no file"
		case code == exitOK && got.equal(after):
			state = "after"
		default:
			t.Errorf("kill %d at %s: status exit %d, stdout %q, stderr %q; tables:%v", i, when, code, stdout, stderr, got)
		}
		states[state]++
		t.Logf("kill %d at %s: %s", i, when, state)

		mustLoad(t, bin, db, data)
		got, want := checksums(t, db), after
		if state == "after" {
			// Loading the same files again adds only to the load log.
			got, want = got.without("loads"), after.without("loads")
		}
		if !got.equal(want) {
			t.Errorf("kill %d: the next load differs from the clean one in %v", i, got.differing(want))
		}
		if left := workingCopies(t, filepath.Dir(db), baseName(db)); len(left) > 0 {
			t.Errorf("kill %d: the next load left the killed load's working copy: %v", i, left)
		}
	}
	t.Logf("%d first loads killed: %d left no file, %d the whole load, %d neither", len(waits), states["no file"], states["after"], states["neither"])
}
