package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledRunTempsRemoved (issue 13, item 7): a gen killed with SIGKILL
// while writing leaves its hidden .NAME.tmp-DIGITS files; the next run
// writing the same folder removes them, and only them.
func TestKilledRunTempsRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("builds funnel and kills a gen of 200,000 leads")
	}
	bin := funnelBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	keep := filepath.Join(filepath.Dir(dir), "keep")
	p := startFunnel(t, bin, false, "gen", "--out", dir, "--leads", "200000")
	var temps []string
	deadline := time.Now().Add(60 * time.Second)
	for len(temps) == 0 && !p.exited() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		temps = tempNames(t, dir)
	}
	if len(temps) == 0 {
		t.Fatalf("no temporary file seen while gen ran (exited %v); stderr %s", p.exited(), p.stderrText())
	}
	p.signal(t, syscall.SIGKILL)
	p.wait(t, 10*time.Second)
	if p.code != -1 {
		t.Fatalf("gen exited %d before the kill landed; nothing was tested", p.code)
	}
	left := tempNames(t, dir)
	if len(left) == 0 {
		t.Fatal("the killed gen left no temporary file; nothing to clean")
	}
	t.Logf("the killed gen left %v", left)
	// Files that look alike but are not ours stay.
	if err := os.Mkdir(keep, 0o755); err != nil {
		t.Fatal(err)
	}
	others := []string{".leads.csv.tmp-1.bak", ".leads.csv.tmp-x", "leads.csv.tmp-1", ".mine.csv.tmp-1"}
	for _, name := range others {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(20 * time.Millisecond) // the next process starts after every leftover was last written
	if code, _, stderr := runFunnel(t, bin, 60*time.Second, "gen", "--out", dir, "--leads", "500"); code != exitOK {
		t.Fatalf("the next gen: exit %d: %s", code, stderr)
	}
	if left := tempNames(t, dir); len(left) != len(others) {
		t.Errorf("after the next gen the folder holds %v; want only %v", left, others)
	}
	for _, name := range others {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s, not ours, was removed", name)
		}
	}
}

// TestStaleTempsRemovedByEachWriter: report (several outputs), convert
// (a file DuckDB writes) and score (CSV, and Parquet through a scratch CSV)
// remove the leftovers of their own outputs, older than the running
// process, and no other file; a Parquet score leaves no temporary of its
// own.
func TestStaleTempsRemovedByEachWriter(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", db}, messyArgs()...)...); code != exitOK {
		t.Fatalf("load: %s", stderr)
	}
	in := filepath.Join(dir, "in.csv")
	model := filepath.Join(dir, "model.yaml")
	for p, content := range map[string]string{in: "lead_id,created_at,channel\nL1,2024-01-01,web\n", model: "version: 1\nthreshold: 1\n"} {
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	stale := func(names ...string) {
		for _, n := range names {
			p := filepath.Join(dir, n)
			if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := func(n string) string { return filepath.Join(dir, n) }
	for _, c := range []struct {
		args         []string
		gone, stayed []string
	}{
		{[]string{"report", "--db", db, "--out", p("r.html"), "--json", p("r.json")},
			[]string{".r.html.tmp-11", ".r.json.tmp-12"}, []string{".r.html.tmp-x", ".s.csv.tmp-13"}},
		{[]string{"convert", "--in", in, "--out", p("in.parquet")},
			[]string{".in.parquet.tmp-21"}, []string{".in.parquet.tmp-21.parquet"}},
		{[]string{"score", "--db", db, "--model", model, "--out", p("s.csv")},
			[]string{".s.csv.tmp-13"}, []string{".r.html.tmp-x"}},
		{[]string{"score", "--db", db, "--model", model, "--out", p("s.parquet")},
			[]string{".s.parquet.tmp-31", ".s.parquet.tmp-32"}, []string{".s.csv.tmp-x"}},
	} {
		t.Run(c.args[0]+" "+filepath.Ext(c.args[len(c.args)-1]), func(t *testing.T) {
			stale(append(c.gone, c.stayed...)...)
			if code, _, stderr := runCLI(t, c.args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, n := range c.gone {
				if _, err := os.Stat(p(n)); err == nil {
					t.Errorf("%s left by a killed run is still there", n)
				}
			}
			for _, n := range c.stayed {
				if _, err := os.Stat(p(n)); err != nil {
					t.Errorf("%s, not a leftover of this output, was removed", n)
				}
			}
			if names := leftovers(t, dir); len(names) != len(c.stayed) {
				t.Errorf("folder holds temporaries %v; want only %v", names, c.stayed)
			}
			for _, n := range c.stayed {
				os.Remove(p(n))
			}
		})
	}
}

// tempNames lists the names in dir holding ".tmp-".
func tempNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			names = append(names, e.Name())
		}
	}
	return names
}
