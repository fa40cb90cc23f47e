package analysis

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// benchSQL makes a synthetic store in DuckDB with range(): $1 leads, $2
// events, created over 18 months in 8 channels, a funnel of decreasing
// shares (mql 25%, sal 14%, sql 6%, opportunity 4%, won 2%, lost 2%),
// 5% recycled, and 12 actions. Test-only SQL.
var benchSQL = []string{
	`INSERT INTO leads
	 SELECT 'L' || i, TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i, 1)::UBIGINT % 46656000 AS BIGINT)),
	        'ch' || (i % 8)
	 FROM range($1::BIGINT) t(i)`,
	`INSERT INTO stages
	 WITH l AS (SELECT i, hash(i, 2)::UBIGINT % 100 AS h,
	                   TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i, 1)::UBIGINT % 46656000 AS BIGINT)) AS c
	            FROM range($1::BIGINT) t(i))
	 SELECT 'L' || i, s.stage, c + to_days(s.d)
	 FROM l, (VALUES ('mql', 3, 25), ('recycled', 5, 5), ('sal', 8, 14), ('sql', 20, 6), ('opportunity', 30, 4)) s(stage, d, share)
	 WHERE h < s.share`,
	`INSERT INTO outcomes
	 SELECT 'L' || i, TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i, 1)::UBIGINT % 46656000 AS BIGINT)) + to_days(60),
	        CASE WHEN h < 2 THEN 'won' ELSE 'lost' END, 1000
	 FROM (SELECT i, hash(i, 2)::UBIGINT % 100 AS h FROM range($1::BIGINT) t(i))
	 WHERE h < 4`,
	`INSERT INTO events
	 SELECT 'L' || (e % $1::BIGINT),
	        TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(e % $1::BIGINT, 1)::UBIGINT % 46656000 AS BIGINT))
	            + to_seconds(CAST(hash(e, 3)::UBIGINT % 5184000 AS BIGINT)),
	        'action' || (hash(e, 4)::UBIGINT % 12), 1
	 FROM range($2::BIGINT) t(e)`,
}

// benchStore makes (or, when FUNNEL_BENCH_DIR names a folder holding one
// already, reopens) a synthetic store of the given size. A new store is
// built under a temporary name and renamed when complete, so an interrupted
// run never leaves a partial store to be reused.
func benchStore(b *testing.B, leads, events int) *queries.Store {
	b.Helper()
	ctx := context.Background()
	dir := os.Getenv("FUNNEL_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("bench-%d-%d.duckdb", leads, events))
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".building"
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
		st, err := queries.Open(ctx, tmp, queries.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range benchSQL {
			if _, err := st.DB().Exec(q, leads, events); err != nil {
				st.Close()
				b.Fatalf("bench data: %v", err)
			}
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	st, err := queries.Open(ctx, path, queries.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// peakRSSMB returns the process's peak resident set (VmHWM) in MB, or -1.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err != nil {
				return -1
			}
			return kb / 1024
		}
	}
	return -1
}

// cpuTime is the user + system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets VmHWM (Linux: writing 5 to clear_refs), so the peak
// measured is the report's, not the data generation's.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkReport times Compute (every table, with a --by attribute) on
// synthetic stores. N=5e6 (100M events) runs only when FUNNEL_BENCH_BIG=1.
func BenchmarkReport(b *testing.B) {
	sizes := []struct {
		name          string
		leads, events int
	}{
		{"N=1e5", 100_000, 2_000_000},
		{"N=1e6", 1_000_000, 20_000_000},
	}
	if os.Getenv("FUNNEL_BENCH_BIG") == "1" {
		sizes = append(sizes, struct {
			name          string
			leads, events int
		}{"N=5e6", 5_000_000, 100_000_000})
	}
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			st := benchStore(b, sz.leads, sz.events)
			resetPeakRSS()
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := Compute(context.Background(), st, Options{By: "industry"}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(peakRSSMB(), "peakRSS-MB")
			// CPU seconds of the process per report: on a shared machine
			// wall time alone says little.
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// TestTraceSteps prints each step's time on a 1e5-lead store (run with -v
// and FUNNEL_TRACE=1).
func TestTraceSteps(t *testing.T) {
	if os.Getenv("FUNNEL_TRACE") != "1" {
		t.Skip("set FUNNEL_TRACE=1")
	}
	n, _ := strconv.Atoi(os.Getenv("FUNNEL_TRACE_LEADS"))
	if n == 0 {
		n = 100_000
	}
	path := os.Getenv("FUNNEL_TRACE_DB") // an existing store, e.g. one BenchmarkReport left in FUNNEL_BENCH_DIR
	fresh := path == ""
	if fresh {
		path = filepath.Join(t.TempDir(), "b.duckdb")
	}
	st, err := queries.Open(context.Background(), path, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, q := range benchSQL {
		if !fresh {
			break
		}
		if _, err := st.DB().Exec(q, n, 20*n); err != nil {
			t.Fatal(err)
		}
	}
	cpu := cpuTime
	lastCPU := cpu()
	_, err = Compute(context.Background(), st, Options{By: "industry", Trace: func(s string, d time.Duration) {
		c := cpu()
		t.Logf("%-22s wall %-8v cpu %v", s, d.Round(time.Millisecond), (c - lastCPU).Round(time.Millisecond))
		lastCPU = c
	}})
	if err != nil {
		t.Fatal(err)
	}
}
