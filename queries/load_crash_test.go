package queries

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadChild is not a test: run by TestLoadKilled in a child process, it
// loads FUNNEL_LOAD_EVENTS into FUNNEL_LOAD_DB and prints "loaded" once
// Load has returned.
func TestLoadChild(t *testing.T) {
	db, events := os.Getenv("FUNNEL_LOAD_DB"), os.Getenv("FUNNEL_LOAD_EVENTS")
	if db == "" {
		t.Skip("helper process only")
	}
	s, err := Open(context.Background(), db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Load(context.Background(), LoadRequest{Events: events}); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("loaded\n")
}

// tableSum is every workspace table's row count and sum of row hashes
// (order-independent; the load log without its clock), as one string.
func tableSum(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM leads t",
		"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM lead_attributes t",
		"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM events t",
		"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM stages t",
		"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM outcomes t",
		"SELECT count(*), coalesce(sum(hash(load_id, kind, file, sha256, rows_read, rows_added, duplicates)::HUGEINT), 0)::VARCHAR FROM loads",
	} {
		var n int64
		var sum string
		if err := s.DB().QueryRowContext(context.Background(), q).Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "%d rows %s; ", n, sum)
	}
	return b.String()
}

// TestLoadKilled kills (SIGKILL) a process loading 300k events at random
// moments spread over a load's duration: each kill must land while the
// load runs, and leave every table's checksum exactly as before the load or
// exactly as after a clean one, in a file that opens normally. The seed is
// logged; FUNNEL_KILL_SEED replays it.
func TestLoadKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 300k events several times")
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("FUNNEL_KILL_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("FUNNEL_KILL_SEED: %v", err)
		}
	}
	t.Logf("kill seed %d (FUNNEL_KILL_SEED replays it)", seed)
	rng := rand.New(rand.NewPCG(seed, 0x6b696c6c))
	dir := t.TempDir()
	base := filepath.Join(dir, "base.duckdb")
	events := filepath.Join(dir, "events.csv")
	s, err := Open(context.Background(), base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	copyTo(t, s, benchEventsQuery(300_000, true), events, "csv")
	mustLoad(t, s, messyRequest())
	before := tableSum(t, s)
	s.Close()

	loadInto := func(path string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLoadChild$")
		cmd.Env = append(os.Environ(), "FUNNEL_LOAD_DB="+path, "FUNNEL_LOAD_EVENTS="+events)
		return cmd
	}
	sumOf := func(path string) string {
		t.Helper()
		s, err := Open(context.Background(), path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		defer s.Close()
		return tableSum(t, s)
	}
	clean := filepath.Join(dir, "clean.duckdb")
	copyBytes(t, base, clean)
	t0 := time.Now()
	if out, err := loadInto(clean).CombinedOutput(); err != nil {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
	full := time.Since(t0)
	after := sumOf(clean)
	if after == before {
		t.Fatal("the load changed nothing; the kills would prove nothing")
	}
	t.Logf("a complete load takes %v", full.Round(time.Millisecond))

	const strata = 5
	for i := range strata {
		db := filepath.Join(dir, fmt.Sprintf("killed%d.duckdb", i))
		landed := false
		// One kill in each fifth of the clean load's time, 0.9 of it (a
		// busy machine runs some loads faster than the clean one); a kill
		// that comes after the load finished is retried 30% earlier each
		// time, so a run whose loads speed up still lands one.
		at0 := time.Duration((float64(i) + rng.Float64()) / strata * 0.9 * float64(full))
		var at time.Duration
		for attempt := 0; attempt < 6 && !landed; attempt++ {
			copyBytes(t, base, db)
			at = time.Duration(float64(at0) * math.Pow(0.7, float64(attempt)))
			cmd := loadInto(db)
			var out strings.Builder
			cmd.Stdout = &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(at)
			cmd.Process.Kill()
			err := cmd.Wait()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			landed = err != nil && ok && ws.Signaled() && !strings.Contains(out.String(), "loaded")
			if !landed {
				t.Logf("kill %d at %v: the load had finished; again", i, at.Round(time.Millisecond))
			}
		}
		if !landed {
			t.Fatalf("kill %d: no kill of 6 landed while the load ran", i)
		}
		switch got := sumOf(db); got {
		case before:
			t.Logf("kill %d at %v: as before the load", i, at.Round(time.Millisecond))
		case after:
			t.Logf("kill %d at %v: as after the load", i, at.Round(time.Millisecond))
		default:
			t.Errorf("kill %d at %v (seed %d): tables %s\nneither before %s\nnor after %s", i, at.Round(time.Millisecond), seed, got, before, after)
		}
	}
}

// copyBytes copies the file src to dst.
func copyBytes(t *testing.T, src, dst string) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadCanceled cancels a large load midway: Load reports the
// cancellation and the database is unchanged and usable.
func TestLoadCanceled(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 1M-row file")
	}
	s := openTestStore(t)
	events := filepath.Join(t.TempDir(), "events.csv")
	copyTo(t, s, benchEventsQuery(1_000_000, true), events, "csv")
	mustLoad(t, s, messyRequest())
	before := countsOf(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := s.Load(ctx, LoadRequest{Events: events, Progress: func(p LoadProgress) {
		if p.Step == "reading" {
			go func() { time.Sleep(100 * time.Millisecond); cancel() }()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := countsOf(t, s); got != before {
		t.Fatalf("counts %+v after a canceled load, want %+v", got, before)
	}
	mustLoad(t, s, messyRequest()) // still usable
}
