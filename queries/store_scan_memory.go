package queries

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

//go:embed store_memory_limit.sql
var memoryLimitSQL string

//go:embed store_memory_limit_set.sql
var setMemoryLimitSQL string

//go:embed store_memory_limit_reset.sql
var resetMemoryLimitSQL string

// scanMemoryLimit is DuckDB's memory limit while a long scan reads a table
// once (withScanMemory), and scanMemoryBytes the same in bytes. DuckDB keeps
// every block it reads in its buffer pool until the limit: scoring 98M
// events read 880 MB of blocks once each, every one into fresh memory, a
// page fault per 4 KiB (about 11–17 µs each on the virtual machine of the
// bench). Under this limit DuckDB evicts blocks already read and reads the
// next ones into their memory. Score at 100M events, 6 pairs against the
// code before: wall time 0.93 (0.88 to 1.05), CPU time 0.91, system time
// 7.5 s against 10.1, peak memory 1.7 GB against 2.5. With 32 and 64 MB
// it took longer again (single runs).
const (
	scanMemoryLimit = "256MB"
	scanMemoryBytes = 256e6
)

// withScanMemory runs fn with DuckDB's memory limit lowered to
// scanMemoryLimit, when the store's is larger, and puts the store's limit
// back after it, whatever fn returns. fn must run only scans that keep no
// large state in DuckDB (filters and projections of one table): a join or
// an aggregate under the lowered limit would spill. A limit DuckDB shows in
// a form not understood is left as it is.
func (s *Store) withScanMemory(ctx context.Context, fn func() error) (err error) {
	var shown string
	if err := s.db.QueryRowContext(ctx, memoryLimitSQL).Scan(&shown); err != nil {
		return fmt.Errorf("memory limit: %w", err)
	}
	if limit, ok := parseShownBytes(shown); !ok || limit <= scanMemoryBytes {
		return fn()
	}
	if _, err := s.db.ExecContext(ctx, fill(setMemoryLimitSQL, "/*LIMIT*/", quoteLiteral(scanMemoryLimit))); err != nil {
		return fmt.Errorf("memory limit %s for the scan: %w", scanMemoryLimit, err)
	}
	defer func() {
		// The store's limit comes back even when ctx was cancelled.
		restore := resetMemoryLimitSQL
		if s.opts.MemoryLimit != "" {
			restore = fill(setMemoryLimitSQL, "/*LIMIT*/", quoteLiteral(s.opts.MemoryLimit))
		}
		if _, rerr := s.db.ExecContext(context.WithoutCancel(ctx), restore); rerr != nil {
			err = errors.Join(err, fmt.Errorf("memory limit back to %q: %w", s.shownLimit(), rerr))
		}
	}()
	return fn()
}

// shownLimit is the store's memory limit as given, or DuckDB's default.
func (s *Store) shownLimit() string {
	if s.opts.MemoryLimit == "" {
		return "DuckDB's default"
	}
	return s.opts.MemoryLimit
}

// parseShownBytes reads a size as DuckDB shows it ("3.7 GiB", "244.1 MiB",
// "512 bytes") in bytes.
func parseShownBytes(shown string) (float64, bool) {
	num, unit, ok := strings.Cut(strings.TrimSpace(shown), " ")
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	scale := map[string]float64{"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40, "PiB": 1 << 50}[unit]
	if scale == 0 {
		return 0, false
	}
	return v * scale, true
}
