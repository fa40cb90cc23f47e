package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoWritesEveryOutput runs the demo twice in-process: every path it
// prints exists, the JSON outputs carry the DESIGN.md keys, and the second
// run (same seed, same folder) leaves the row counts unchanged.
func TestDemoWritesEveryOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("demo runs the whole pipeline")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := runCLI(t, "demo", "--dir", dir, "--leads", "6000")
	if code != exitOK {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	paths := strings.Fields(stdout)
	if len(paths) != 8 {
		t.Fatalf("demo printed %d paths, want 8:\n%s", len(paths), stdout)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("printed path %s: %v", p, err)
		}
	}

	var report map[string]json.RawMessage
	readJSON(t, filepath.Join(dir, "report.json"), &report)
	for _, k := range []string{"by_channel", "by_action", "by_month"} {
		if _, ok := report[k]; !ok {
			t.Errorf("report.json lacks %s", k)
		}
	}
	var cal map[string]json.RawMessage
	readJSON(t, filepath.Join(dir, "calibration.json"), &cal)
	for _, k := range []string{"target", "intercept", "coefficients", "threshold", "metrics", "backtest"} {
		if _, ok := cal[k]; !ok {
			t.Errorf("calibration.json lacks %s", k)
		}
	}

	before := statusCounts(t, filepath.Join(dir, "funnel.duckdb"))
	if before["leads"] != 6000 {
		t.Errorf("leads = %d, want 6000", before["leads"])
	}
	if code, _, stderr := runCLI(t, "demo", "--dir", dir, "--leads", "6000"); code != exitOK {
		t.Fatalf("second demo exit %d: %s", code, stderr)
	}
	after := statusCounts(t, filepath.Join(dir, "funnel.duckdb"))
	for _, k := range []string{"leads", "events", "stages", "outcomes"} {
		if before[k] != after[k] || before[k] == 0 {
			t.Errorf("%s: %d rows after the first demo, %d after the second", k, before[k], after[k])
		}
	}
}

// TestDemoRunsWithoutNetwork runs the built binary in a network namespace
// with no interface but loopback (unshare -n): nothing the demo does may
// need the network (DuckDB extension downloads are switched off).
func TestDemoRunsWithoutNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the whole pipeline")
	}
	if err := exec.Command("unshare", "-n", "true").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("unshare -n is not available in CI: %v", err)
		}
		t.Skipf("unshare -n not available here: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "funnel")
	build := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(t.TempDir(), "demo")
	cmd := exec.Command("unshare", "-n", bin, "demo", "--dir", dir, "--leads", "5000")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo without network: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "calibration.html")); err != nil {
		t.Fatalf("demo without network wrote no evidence page: %v", err)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// statusCounts returns the row counts that funnel status --json reports.
func statusCounts(t *testing.T, db string) map[string]int64 {
	t.Helper()
	code, stdout, stderr := runCLI(t, "status", "--db", db, "--json")
	if code != exitOK {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	var s map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	counts := map[string]int64{}
	for _, k := range []string{"leads", "events", "stages", "outcomes"} {
		var n int64
		if err := json.Unmarshal(s[k], &n); err != nil {
			t.Fatalf("status --json %s: %v", k, err)
		}
		counts[k] = n
	}
	return counts
}
