package queries

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadChild is not a test: run by TestLoadKilled in a child process, it
// loads FUNNEL_LOAD_EVENTS into FUNNEL_LOAD_DB.
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
}

// TestLoadKilled kills (SIGKILL) a process loading 1M events at several
// points: each time the database must hold exactly what it held before the
// load or exactly what it holds after it, and open normally.
func TestLoadKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 1M events several times")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	events := filepath.Join(dir, "events.csv")
	s, err := Open(context.Background(), db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 1_000_000
	copyTo(t, s, benchEventsQuery(n, true), events, "csv")
	mustLoad(t, s, messyRequest())
	before := countsOf(t, s)
	after := before
	after.events += n // every synthetic event is distinct and new
	after.loads++
	s.Close()

	// Time one complete load into a copy, then kill loads into the real
	// database at fractions of that time, through to the commit; the last
	// run is not killed.
	loadInto := func(path string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLoadChild$")
		cmd.Env = append(os.Environ(), "FUNNEL_LOAD_DB="+path, "FUNNEL_LOAD_EVENTS="+events)
		return cmd
	}
	scratch := filepath.Join(dir, "scratch.duckdb")
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scratch, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if out, err := loadInto(scratch).CombinedOutput(); err != nil {
		t.Fatalf("timing run: %v\n%s", err, out)
	}
	full := time.Since(t0).Seconds()
	t.Logf("a complete load takes %.2fs", full)
	for i, frac := range []float64{0.02, 0.3, 0.6, 0.85, 0.95, 0.99, 1.1, -1} {
		at := frac * full
		cmd := loadInto(db)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		killed := false
		if frac >= 0 {
			select {
			case <-done:
			case <-time.After(time.Duration(at * float64(time.Second))):
				cmd.Process.Kill()
				<-done
				killed = true
			}
		} else if err := <-done; err != nil {
			t.Fatalf("run %d: the load failed: %v", i, err)
		}
		s, err := Open(context.Background(), db, Options{})
		if err != nil {
			t.Fatalf("run %d (killed %v at %.2fs): reopen: %v", i, killed, at, err)
		}
		got := countsOf(t, s)
		s.Close()
		switch got {
		case before:
			t.Logf("run %d: killed %v at %.2fs: as before the load", i, killed, at)
		case after:
			t.Logf("run %d: killed %v at %.2fs: as after the load", i, killed, at)
			// From now on a complete load adds nothing but a log entry.
			before = after
			after.loads++
		default:
			t.Fatalf("run %d (killed %v at %.2fs): counts %+v, neither before %+v nor after %+v", i, killed, at, got, before, after)
		}
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
