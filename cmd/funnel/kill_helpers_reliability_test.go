package main

// Helpers of the kill tests (issue 13, item 9): a seed that a failure
// prints and FUNNEL_KILL_SEED replays, an order-independent checksum of
// every table, and a check that a kill landed while the load ran.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// killRNG returns the random source of a kill test, seeded from
// FUNNEL_KILL_SEED when set, else from the clock. The seed is logged, and
// printed again with the command that replays it when the test fails.
func killRNG(t *testing.T) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("FUNNEL_KILL_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("FUNNEL_KILL_SEED: %v", err)
		}
	}
	t.Logf("kill seed %d", seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay: FUNNEL_KILL_SEED=%d go test -tags duckdb_arrow ./cmd/funnel/ -run '^%s$'", seed, t.Name())
		}
	})
	return rand.New(rand.NewPCG(seed, 0x6b696c6c))
}

// tableSums is, per workspace table, its row count and the sum of a hash of
// every row: equal sums mean equal contents whatever the row order. The
// load log leaves out loaded_at (the clock of the load). A nil tableSums
// stands for "no database file".
type tableSums map[string]string

// sumQueries hash every row of each table (sum, not xor, so two equal rows
// do not cancel out). Test code only: the product never needs it.
var sumQueries = map[string]string{
	"leads":           "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM leads t",
	"lead_attributes": "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM lead_attributes t",
	"events":          "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM events t",
	"stages":          "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM stages t",
	"outcomes":        "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM outcomes t",
	"loads":           "SELECT count(*), coalesce(sum(hash(load_id, kind, file, sha256, rows_read, rows_added, duplicates)::HUGEINT), 0)::VARCHAR FROM loads",
}

// tableOrder is the order tables are named in messages.
var tableOrder = []string{"leads", "lead_attributes", "events", "stages", "outcomes", "loads"}

// checksums reads the table sums of the workspace at db (read-only, in
// this process); nil when the file does not exist.
func checksums(t *testing.T, db string) tableSums {
	t.Helper()
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	ctx := context.Background()
	s, err := queries.Open(ctx, db, queries.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("checksums of %s: %v", db, err)
	}
	defer s.Close()
	sums := tableSums{}
	for table, q := range sumQueries {
		var n int64
		var sum string
		if err := s.DB().QueryRowContext(ctx, q).Scan(&n, &sum); err != nil {
			t.Fatalf("checksum of %s in %s: %v", table, db, err)
		}
		sums[table] = fmt.Sprintf("%d rows, hash sum %s", n, sum)
	}
	return sums
}

// equal reports whether a and b hold the same tables with the same sums.
func (a tableSums) equal(b tableSums) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// without is a copy of a without the named table.
func (a tableSums) without(table string) tableSums {
	b := tableSums{}
	for k, v := range a {
		if k != table {
			b[k] = v
		}
	}
	return b
}

// differing names the tables whose sums differ between a and b.
func (a tableSums) differing(b tableSums) []string {
	var names []string
	for _, k := range tableOrder {
		if a[k] != b[k] {
			names = append(names, k)
		}
	}
	return names
}

func (a tableSums) String() string {
	if a == nil {
		return "no database file"
	}
	var b strings.Builder
	for _, k := range tableOrder {
		if _, ok := a[k]; !ok {
			continue
		}
		fmt.Fprintf(&b, "\n  %-15s %s", k, a[k])
	}
	return b.String()
}

// killedWhileLoading reports whether p, sent SIGKILL, died of it before its
// load finished: killed by a signal and no "loaded into" summary (printed
// once the load has returned) on stdout.
func killedWhileLoading(p *proc) bool {
	return p.code == -1 && !strings.Contains(p.stdout.String(), "loaded into")
}

// waitForLog polls dir until a DuckDB write-ahead log of the workspace
// named base, or of a load's working copy of it (.base.load-*.wal), has
// appeared for the nth time (a first load's copy logs its new tables and
// checkpoints them before the load's own commit), and returns its name; ""
// when the process ended first.
func waitForLog(p *proc, dir, base string, n int) string {
	seen, present := 0, false
	for !p.exited() {
		entries, _ := os.ReadDir(dir)
		name := ""
		for _, e := range entries {
			if e := e.Name(); strings.HasSuffix(e, ".wal") && (e == base+".wal" || strings.HasPrefix(e, "."+base+".load-")) {
				name = e
			}
		}
		if name != "" && !present {
			if seen++; seen == n {
				return name
			}
		}
		present = name != ""
		time.Sleep(200 * time.Microsecond)
	}
	return ""
}

// workingCopies lists the load working copies of the workspace base left
// in dir.
func workingCopies(t *testing.T, dir, base string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+base+".load-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// baseName is filepath.Base, for the helpers' base arguments.
func baseName(path string) string { return filepath.Base(path) }
