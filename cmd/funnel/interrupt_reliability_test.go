package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// promptly is how long a command may take to exit after Ctrl-C.
const promptly = 5 * time.Second

// checkCanceled fails the test unless p, sent SIGINT or SIGTERM, ended promptly with
// exit 1 and its last stderr line is its only `error:` line and says it
// was canceled.
func checkCanceled(t *testing.T, what string, p *proc, sent time.Time) {
	t.Helper()
	p.wait(t, time.Minute)
	if took := p.started.Add(p.elapsed).Sub(sent); took > promptly {
		t.Errorf("%s: exited %v after the signal, want ≤ %v", what, took.Round(time.Millisecond), promptly)
	}
	if p.code != exitFailure {
		t.Errorf("%s: exit %d after the signal, want %d; stderr:\n%s", what, p.code, exitFailure, p.stderrText())
	}
	lines := strings.Split(strings.TrimRight(p.stderrText(), "\n"), "\n")
	last := lines[len(lines)-1]
	var errorLines int
	for _, l := range lines {
		if strings.HasPrefix(l, "error:") {
			errorLines++
		}
	}
	t.Logf("%s: exit %d, %v after the signal: %s", what, p.code, p.started.Add(p.elapsed).Sub(sent).Round(time.Millisecond), last)
	if errorLines != 1 || !strings.HasPrefix(last, "error:") || !strings.Contains(last, "cancel") {
		t.Errorf("%s: stderr after the signal ends %q (%d error lines); want one last line `error: …cancel…`", what, last, errorLines)
	}
}

// TestInterruptLoad (issue 7, point 3): Ctrl-C while a ~1M-event load
// reads its files, and SIGTERM while it writes them in its transaction,
// end it promptly with one error line, and the database is as before.
func TestInterruptLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and interrupts ~1M-event loads")
	}
	bin := funnelBinary(t)
	dir := t.TempDir()
	first := genDataset(t, bin, filepath.Join(dir, "first"), 5000, 1)
	second := genDataset(t, bin, filepath.Join(dir, "second"), 50000, 2)
	db := filepath.Join(dir, "i.duckdb")
	mustLoad(t, bin, db, first)
	before := dbCounts(t, bin, db)

	// SIGTERM (a scheduler's timeout) is handled like Ctrl-C.
	for _, c := range []struct {
		step string
		sig  os.Signal
	}{{"reading", os.Interrupt}, {"writing", syscall.SIGTERM}} {
		step := c.step
		p := startFunnel(t, bin, true, append([]string{"load", "--db", db}, second.loadArgs()...)...)
		if !p.waitLine(func(l string) bool { return strings.Contains(l, " events ") && strings.HasSuffix(l, ": "+step) }, 5*time.Minute) {
			p.wait(t, time.Minute)
			t.Fatalf("the load ended (exit %d) before %s events; stderr:\n%s", p.code, step, p.stderrText())
		}
		sent := time.Now()
		p.signal(t, c.sig)
		checkCanceled(t, fmt.Sprintf("load sent %v while %s events", c.sig, step), p, sent)
		if got := dbCounts(t, bin, db); got != before {
			t.Errorf("load interrupted while %s events: %v, want as before: %v", step, got, before)
		}
	}
	if names := leftovers(t, dir); len(names) > 0 {
		t.Errorf("interrupted loads left %v", names)
	}
	// The database still takes a load (the first files again: nothing new).
	mustLoad(t, bin, db, first)
	if got, want := dbCounts(t, bin, db), before; got.Events != want.Events || got.LoadFiles != want.LoadFiles+4 {
		t.Errorf("loading the first files again after the interrupts: %v, want %v with 4 more files in the load log", got, want)
	}
}

// TestInterruptOutputs (issue 7, points 3 and 7): Ctrl-C during report,
// calibrate and score ends each promptly with one error line; the output
// files that existed keep their content, none is created, no temporary
// file is left, and the database is unchanged.
func TestInterruptOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and interrupts report, calibrate and score")
	}
	bin := funnelBinary(t)
	dir := t.TempDir()
	data := genDataset(t, bin, filepath.Join(dir, "data"), 50000, 2)
	db := filepath.Join(dir, "w.duckdb")
	mustLoad(t, bin, db, data)
	before := dbCounts(t, bin, db)
	model := filepath.Join(dir, "given.yaml")
	if code, _, stderr := runFunnel(t, bin, 5*time.Minute, "calibrate", "--db", db, "--out", model, "--half-life", "14"); code != exitOK {
		t.Fatalf("calibrate: exit %d: %s", code, stderr)
	}

	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(out, "existing.html")
	const old = "<p>the report from last week</p>\n"
	cases := []struct {
		name string
		args []string
		// progress says when to interrupt: a line the command prints on a
		// terminal before its long steps.
		progress func(line string) bool
		// outputs are files the command would write; existing is the one
		// already there.
		outputs []string
	}{
		{
			name:     "report",
			args:     []string{"report", "--db", db, "--out", existing, "--json", filepath.Join(out, "report.json")},
			progress: func(l string) bool { return strings.HasPrefix(l, "  ") && strings.TrimSpace(l) != "" }, // a step's time
			outputs:  []string{existing, filepath.Join(out, "report.json")},
		},
		{
			name:     "calibrate",
			args:     []string{"calibrate", "--db", db, "--out", filepath.Join(out, "model.yaml"), "--evidence", existing, "--json", filepath.Join(out, "calibration.json")},
			progress: func(l string) bool { return strings.HasPrefix(l, "calibrate: ") },
			outputs:  []string{existing, filepath.Join(out, "model.yaml"), filepath.Join(out, "calibration.json")},
		},
		{
			name:     "score",
			args:     []string{"score", "--db", db, "--model", model, "--out", filepath.Join(out, "scores.parquet")},
			progress: func(l string) bool { return strings.HasPrefix(l, "score: ") },
			outputs:  []string{filepath.Join(out, "scores.parquet")},
		},
	}
	for _, c := range cases {
		if err := os.WriteFile(existing, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		p := startFunnel(t, bin, true, c.args...)
		if !p.waitLine(c.progress, 5*time.Minute) {
			p.wait(t, time.Minute)
			t.Fatalf("%s ended (exit %d) before its first progress line; stderr:\n%s", c.name, p.code, p.stderrText())
		}
		sent := time.Now()
		p.signal(t, os.Interrupt)
		checkCanceled(t, c.name, p, sent)
		for _, f := range c.outputs {
			b, err := os.ReadFile(f)
			switch {
			case f == existing && string(b) != old:
				t.Errorf("%s: interrupted, it changed %s (%d bytes, err %v)", c.name, f, len(b), err)
			case f != existing && err == nil:
				t.Errorf("%s: interrupted, it wrote %s", c.name, f)
			}
		}
		if names := leftovers(t, out); len(names) > 0 {
			t.Errorf("%s: interrupted, it left %v", c.name, names)
		}
	}
	if got := dbCounts(t, bin, db); got != before {
		t.Errorf("after the interrupted commands: %v, want %v", got, before)
	}
}
