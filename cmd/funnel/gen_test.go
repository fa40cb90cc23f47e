package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/calibrate"
)

func TestGenWritesFilesAndPrintsPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "sub")
	code, stdout, stderr := runCLI(t, "gen", "--out", dir, "--leads", "300", "--months", "3", "--seed", "5")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr %q, want nothing (not a terminal)", stderr)
	}
	want := []string{"leads.csv", "events.csv", "stages.csv", "outcomes.csv", "truth.yaml", "current.yaml"}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("stdout %q: want %d lines", stdout, len(want))
	}
	for i, l := range lines {
		if l != filepath.Join(dir, want[i]) {
			t.Errorf("line %d = %q, want %q", i+1, l, filepath.Join(dir, want[i]))
		}
		if st, err := os.Stat(l); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", l, err)
		}
	}
	leads, _ := os.ReadFile(filepath.Join(dir, "leads.csv"))
	if n := strings.Count(string(leads), "\n"); n != 301 {
		t.Errorf("leads.csv has %d lines, want 301 (header + 300)", n)
	}
	truth, _ := os.ReadFile(filepath.Join(dir, "truth.yaml"))
	if !strings.Contains(string(truth), "seed: 5\n") || !strings.Contains(string(truth), "months: 3\n") {
		t.Errorf("truth.yaml does not record the flags:\n%s", truth)
	}
	f, err := os.Open(filepath.Join(dir, "current.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	current, err := calibrate.ParseModel(f)
	if err != nil {
		t.Fatalf("current.yaml does not parse as a model file: %v", err)
	}
	// The generator's MQL rule: threshold 80, demo_request 35 points per event.
	if current.Threshold != 80 || current.Actions["demo_request"].Points != 35 {
		t.Errorf("current.yaml threshold %d, demo_request %+v", current.Threshold, current.Actions["demo_request"])
	}
}

func TestGenUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string // in the error line
	}{
		{"no out", []string{"gen", "--leads", "10"}, "--out"},
		{"zero leads", []string{"gen", "--out", dir, "--leads", "0"}, "--leads"},
		{"leads not a number", []string{"gen", "--out", dir, "--leads", "many"}, "leads"},
		{"negative months", []string{"gen", "--out", dir, "--months", "-1"}, "--months"},
		{"positional argument", []string{"gen", "--out", dir, "extra"}, "extra"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d (stderr %q)", code, exitUsage, stderr)
			}
			if stdout != "" || !strings.HasPrefix(stderr, "error: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("stdout %q stderr %q: want one error line mentioning %q", stdout, stderr, c.want)
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("usage errors wrote %d files", len(entries))
	}
}

func TestGenOutIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "taken")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "gen", "--out", file, "--leads", "10")
	if code != exitFailure || !strings.Contains(stderr, "taken") {
		t.Fatalf("exit %d stderr %q: want 1 and the path named", code, stderr)
	}
}
