package queries

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestZZFunnelExp(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, os.Getenv("EXPDB"), Options{MemoryLimit: "4GB"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f, err := s.FunnelSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	end, _, _ := f.DataEnd(ctx)
	if err := f.BuildEntries(ctx, []string{"lead", "mql", "sal", "sql", "opportunity", "won"}, []string{"recycled", "nurture"}); err != nil {
		t.Fatal(err)
	}
	if err := f.BuildLeads(ctx, FunnelLeadParams{LastIdx: 5, QualifiedIdx: 1, WindowDays: 60, DataEnd: end, From: time.Time{}, To: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	f.conn.ExecContext(ctx, "SET VARIABLE actions = (SELECT list(action ORDER BY n DESC) FROM (SELECT action, count(*) n FROM events GROUP BY action))")
	for _, q := range strings.Split(os.Getenv("EXP"), ";") {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		t0 := time.Now()
		c0 := cpuSeconds()
		rows, err := f.conn.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out []string
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for _, v := range vals {
				out = append(out, fmt.Sprint(v))
			}
			if len(out) > 8 {
				break
			}
		}
		rows.Close()
		t.Logf("%6.2fs %5.2fcpu  %.100s -> %v", time.Since(t0).Seconds(), cpuSeconds()-c0, q, out)
	}
}
