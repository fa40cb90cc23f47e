package queries

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkStatus times Status (counts, load log and every finding) on a
// store of n events, n/20 leads (5% of them missing, so some events are
// orphans), 3 stages per lead and an outcome for every tenth lead.
func BenchmarkStatus(b *testing.B) {
	for _, n := range []int{1e5, 1e6} {
		b.Run(fmt.Sprintf("N=%.0e", float64(n)), func(b *testing.B) {
			s, err := Open(context.Background(), filepath.Join(b.TempDir(), "s.duckdb"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			leads := max(n/20, 1)
			for _, q := range []string{
				fmt.Sprintf("INSERT INTO leads SELECT 'L' || i, TIMESTAMP '2024-01-01' + to_hours(i %% 5000), 'web' FROM range(%d) t(i) WHERE i %% 20 <> 0", leads),
				"INSERT INTO events " + benchEventsQuery(n, false),
				fmt.Sprintf("INSERT INTO stages SELECT 'L' || i, ['mql', 'sal', 'sql'][1 + j], TIMESTAMP '2024-02-01' + to_days(CASE WHEN i %% 50 = 0 THEN 3 - j ELSE j END) FROM range(%d) t(i), range(3) u(j)", leads),
				fmt.Sprintf("INSERT INTO outcomes SELECT 'L' || i, TIMESTAMP '2024-03-01', 'won', 1000 FROM range(0, %d, 10) t(i)", leads),
			} {
				if _, err := s.DB().Exec(q); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				if _, err := s.Status(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
