package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// inUseLine is the one line a writer gets when another process holds the
// database; inUseReadOnlyLine the one a reader gets while another process
// writes (DuckDB 1.5 lets several processes read a file only while none
// writes to it).
func inUseLine(db string) string {
	return "error: database " + db + " is in use by another process\n"
}

func inUseReadOnlyLine(db string) string {
	return "error: database " + db + " is in use by another process; read-only commands can run once the process writing to it (e.g. funnel load) finishes\n"
}

// refusedAtOnce is how long a command refused for a held database may take:
// it must fail at open, not wait for the lock.
const refusedAtOnce = 10 * time.Second

// TestConcurrentUseWhileLoading (issue 7, point 2): while one `funnel load`
// of ~600k events runs, a second load, status, report and calibrate each fail
// at once with exit 1 and one line naming the database; the running load is
// not disturbed: it ends and the database holds what it says it added.
func TestConcurrentUseWhileLoading(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a ~600k-event load")
	}
	bin := funnelBinary(t)
	dir := t.TempDir()
	small := genDataset(t, bin, filepath.Join(dir, "small"), 2000, 3)
	big := genDataset(t, bin, filepath.Join(dir, "big"), 30000, 2)
	db := filepath.Join(dir, "w.duckdb")
	mustLoad(t, bin, db, small)
	before := dbCounts(t, bin, db)

	p := startFunnel(t, bin, true, append([]string{"load", "--db", db}, big.loadArgs()...)...)
	if !p.waitLine(func(l string) bool { return strings.Contains(l, " events ") && strings.HasSuffix(l, ": reading") }, 5*time.Minute) {
		p.wait(t, time.Minute)
		t.Fatalf("the load ended (exit %d) before reading events; stderr:\n%s", p.code, p.stderrText())
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append([]string{"load", "--db", db}, small.loadArgs()...), inUseLine(db)},
		{[]string{"status", "--db", db}, inUseReadOnlyLine(db)},
		{[]string{"report", "--db", db, "--out", filepath.Join(dir, "report.html")}, inUseReadOnlyLine(db)},
		{[]string{"calibrate", "--db", db, "--out", filepath.Join(dir, "model.yaml")}, inUseReadOnlyLine(db)},
	} {
		q := startFunnel(t, bin, false, c.args...)
		q.wait(t, time.Minute)
		if q.code != exitFailure || q.stderrText() != c.want {
			t.Errorf("%s during a load: exit %d, stderr %q; want 1, %q", c.args[0], q.code, q.stderrText(), c.want)
		}
		t.Logf("%s refused after %v: %s", c.args[0], q.elapsed.Round(time.Millisecond), strings.TrimSpace(q.stderrText()))
		if q.elapsed > refusedAtOnce {
			t.Errorf("%s during a load took %v to be refused", c.args[0], q.elapsed)
		}
		if p.exited() {
			t.Fatalf("the load ended before %s was tried; the test proves nothing", c.args[0])
		}
	}
	for _, name := range []string{"report.html", "model.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("a refused command wrote %s", name)
		}
	}
	if names := leftovers(t, dir); len(names) > 0 {
		t.Errorf("refused commands left %v", names)
	}
	p.wait(t, 5*time.Minute)
	if p.code != exitOK {
		t.Fatalf("the load that held the database: exit %d: %s", p.code, p.stderrText())
	}
	// The load's summary (kind, file, rows, added, …) says what it added;
	// the database holds exactly that on top of what it had.
	added := map[string]int64{}
	for _, line := range strings.Split(p.stdout.String(), "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 {
			if n, err := strconv.ParseInt(f[3], 10, 64); err == nil {
				added[f[0]] = n
			}
		}
	}
	want := before
	want.Leads += added["leads"]
	want.Events += added["events"]
	want.Stages += added["stages"]
	want.Outcomes += added["outcomes"]
	want.LoadFiles += 4
	if added["events"] == 0 {
		t.Fatalf("no events added by the load; stdout:\n%s", p.stdout.String())
	}
	if got := dbCounts(t, bin, db); got.Leads != want.Leads || got.Events != want.Events || got.Stages != want.Stages ||
		got.Outcomes != want.Outcomes || got.LoadFiles != want.LoadFiles {
		t.Errorf("after the load with refused commands around it: %v\nwant %v (before plus what the load added)", got, want)
	}
}

// TestConcurrentUseWhileReading (issue 7, point 2): while a process has the
// database open read-only (as report does), other readers run and a load is
// refused at once.
func TestConcurrentUseWhileReading(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := funnelBinary(t)
	dir := t.TempDir()
	data := genDataset(t, bin, filepath.Join(dir, "d"), 2000, 3)
	db := filepath.Join(dir, "r.duckdb")
	mustLoad(t, bin, db, data)
	want := dbCounts(t, bin, db)

	// This test process is the reader holding the file.
	st, err := queries.Open(context.Background(), db, queries.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	if got := dbCounts(t, bin, db); got != want {
		t.Errorf("status beside another reader: %v, want %v", got, want)
	}
	code, _, stderr := runFunnel(t, bin, time.Minute, "report", "--db", db, "--json", filepath.Join(dir, "report.json"))
	if code != exitOK {
		t.Errorf("report beside another reader: exit %d: %s", code, stderr)
	}
	q := startFunnel(t, bin, false, append([]string{"load", "--db", db}, data.loadArgs()...)...)
	q.wait(t, time.Minute)
	if q.code != exitFailure || q.stderrText() != inUseLine(db) {
		t.Errorf("load beside a reader: exit %d, stderr %q; want 1, %q", q.code, q.stderrText(), inUseLine(db))
	}
	if q.elapsed > refusedAtOnce {
		t.Errorf("load beside a reader took %v to be refused", q.elapsed)
	}
	st.Close()
	if got := dbCounts(t, bin, db); got != want {
		t.Errorf("after the refused load: %v, want %v", got, want)
	}
}
