package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// messyArgs are the --leads … --outcomes flags for testdata/load/messy.
func messyArgs() []string {
	d := filepath.Join("..", "..", "testdata", "load", "messy")
	return []string{
		"--leads", filepath.Join(d, "leads.csv"),
		"--events", filepath.Join(d, "events.csv"),
		"--stages", filepath.Join(d, "stages.csv"),
		"--outcomes", filepath.Join(d, "outcomes.csv"),
	}
}

func statusJSON(t *testing.T, db string) queries.Status {
	t.Helper()
	code, out, stderr := runCLI(t, "status", "--db", db, "--json")
	if code != exitOK {
		t.Fatalf("status: exit %d, stderr %q", code, stderr)
	}
	var st queries.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	return st
}

func TestLoadCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	code, out, stderr := runCLI(t, append([]string{"load", "--db", db}, messyArgs()...)...)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	// Figures counted by hand in testdata/load/messy/README.md.
	for _, want := range []string{
		"loaded into " + db + " (load 1)",
		"leads  ../../testdata/load/messy/leads.csv       4      4        0           0        -",
		"events  ../../testdata/load/messy/events.csv       7      6        -           1        2",
		"stages  ../../testdata/load/messy/stages.csv       9      8        -           1        1",
		"outcomes  ../../testdata/load/messy/outcomes.csv       4      3        -           1        1",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	st := statusJSON(t, db)
	if st.Leads != 4 || st.Events != 6 || st.Stages != 8 || st.Outcomes != 3 {
		t.Fatalf("status counts %d/%d/%d/%d, want 4/6/8/3", st.Leads, st.Events, st.Stages, st.Outcomes)
	}
	// Loading the same files again leaves the same counts.
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", db}, messyArgs()...)...); code != exitOK {
		t.Fatalf("second load: exit %d, %q", code, stderr)
	}
	again := statusJSON(t, db)
	if again.Leads != 4 || again.Events != 6 || again.Stages != 8 || again.Outcomes != 3 || len(again.Loads) != 8 {
		t.Fatalf("after a second load: %d/%d/%d/%d, %d loads; want 4/6/8/3, 8", again.Leads, again.Events, again.Stages, again.Outcomes, len(again.Loads))
	}
}

func TestLoadCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	bad := filepath.Join(dir, "events.csv")
	if err := os.WriteFile(bad, []byte("lead_id,occurred_at,action\nL1,2024-01-01,a\nL1,2024-13-45,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badMap := filepath.Join(dir, "map.yaml")
	if err := os.WriteFile(badMap, []byte("contacts:\n  a: b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // exact, or prefix when ending in "…"
	}{
		{"no input file", []string{"load", "--db", db}, exitUsage,
			"error: funnel load needs at least one of --leads, --events, --stages, --outcomes\n"},
		{"unknown flag", []string{"load", "--db", db, "--contacts", "x.csv"}, exitUsage, "error: unknown flag: --contacts\n"},
		{"bad row", []string{"load", "--db", db, "--events", bad}, exitFailure,
			"error: " + bad + ` line 3: column occurred_at: cannot parse "2024-13-45" as a timestamp` + "\n"},
		{"missing file", []string{"load", "--db", db, "--leads", filepath.Join(dir, "nope.csv")}, exitFailure,
			"error: load leads " + filepath.Join(dir, "nope.csv") + ": open " + filepath.Join(dir, "nope.csv") + ": no such file or directory\n"},
		{"bad mapping", []string{"load", "--db", db, "--events", bad, "--map", badMap}, exitFailure,
			"error: " + badMap + ": mapping file: yaml: unmarshal errors:…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if p, ok := strings.CutSuffix(tc.stderr, "…"); ok {
				if !strings.HasPrefix(stderr, p) {
					t.Errorf("stderr %q, want it to start %q", stderr, p)
				}
			} else if stderr != tc.stderr {
				t.Errorf("stderr\n got %q\nwant %q", stderr, tc.stderr)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
	// Nothing was committed by the failed first loads: they left no file,
	// not even an empty workspace or a working copy (issue 13, item 8).
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "events.csv" && e.Name() != "map.yaml" {
			t.Errorf("after refused first loads the folder holds %s", e.Name())
		}
	}
	if code, _, stderr := runCLI(t, "status", "--db", db); code != exitFailure || stderr != "error: database "+db+" does not exist; create it with funnel load --db "+db+"\n" {
		t.Errorf("status after refused first loads: exit %d, %q", code, stderr)
	}
}

func TestLoadCommandWithMapping(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	d := filepath.Join("..", "..", "testdata")
	code, _, stderr := runCLI(t, "load", "--db", db,
		"--leads", filepath.Join(d, "load", "salesforce_leads.csv"),
		"--stages", filepath.Join(d, "load", "salesforce_lead_history.csv"),
		"--map", filepath.Join(d, "mappings", "salesforce.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if st := statusJSON(t, db); st.Leads != 3 || st.Stages != 3 {
		t.Fatalf("leads %d stages %d, want 3 3", st.Leads, st.Stages)
	}
}

// TestHoldDatabase is not a test: run by TestLoadWhileDatabaseInUse in a
// child process, it opens FUNNEL_HOLD_DB, says "ready" and holds the file
// until its stdin closes.
func TestHoldDatabase(t *testing.T) {
	path := os.Getenv("FUNNEL_HOLD_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	s, err := queries.Open(context.Background(), path, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	os.Stdout.WriteString("ready\n")
	io.Copy(io.Discard, os.Stdin)
}

// TestLoadWhileDatabaseInUse: a second process holds the database; load
// and status fail at once with one clear line and exit 1.
func TestLoadWhileDatabaseInUse(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	db := filepath.Join(t.TempDir(), "held.duckdb")
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", db}, messyArgs()...)...); code != exitOK {
		t.Fatalf("first load: %q", stderr)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldDatabase$")
	cmd.Env = append(os.Environ(), "FUNNEL_HOLD_DB="+db)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "ready" {
				ready <- true
				io.Copy(io.Discard, stdout)
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("helper process ended without opening the database")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("helper process did not open the database")
	}
	want := "error: database " + db + " is in use by another process\n"
	for _, args := range [][]string{
		append([]string{"load", "--db", db}, messyArgs()...),
		{"status", "--db", db},
	} {
		if args[0] == "status" { // read-only: says when it can run
			want = "error: database " + db + " is in use by another process; read-only commands can run once the process writing to it (e.g. funnel load) finishes\n"
		}
		code, _, stderr := runCLI(t, args...)
		if code != exitFailure || stderr != want {
			t.Errorf("%s: exit %d, stderr %q; want 1, %q", args[0], code, stderr, want)
		}
	}
}
