package queries

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// shownMemoryLimit is DuckDB's memory limit as it shows it.
func shownMemoryLimit(t *testing.T, s *Store) string {
	t.Helper()
	var shown string
	if err := s.DB().QueryRow("SELECT current_setting('memory_limit')").Scan(&shown); err != nil {
		t.Fatal(err)
	}
	return shown
}

func TestWithScanMemory(t *testing.T) {
	ctx := context.Background()
	failed := errors.New("the scan failed")
	for _, tc := range []struct {
		name   string
		limit  string // the store's --memory-limit
		before string // as DuckDB shows it
		inside string
		err    error // what the scan returns
	}{
		// 256MB is 244.1 MiB; 2GB 1.8 GiB.
		{name: "given limit lowered and put back", limit: "2GB", before: "1.8 GiB", inside: "244.1 MiB"},
		{name: "put back after a failed scan", limit: "2GB", before: "1.8 GiB", inside: "244.1 MiB", err: failed},
		{name: "a smaller limit is kept", limit: "100MB", before: "95.3 MiB", inside: "95.3 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), Options{MemoryLimit: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got := shownMemoryLimit(t, s); got != tc.before {
				t.Fatalf("limit before = %q, want %q", got, tc.before)
			}
			var inside string
			err = s.withScanMemory(ctx, func() error {
				inside = shownMemoryLimit(t, s)
				return tc.err
			})
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Errorf("withScanMemory = %v, want %v", err, tc.err)
			}
			if inside != tc.inside {
				t.Errorf("limit during the scan = %q, want %q", inside, tc.inside)
			}
			if got := shownMemoryLimit(t, s); got != tc.before {
				t.Errorf("limit after = %q, want %q", got, tc.before)
			}
		})
	}
}

func TestWithScanMemoryRestoresDefault(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	before := shownMemoryLimit(t, s)
	lim, ok := parseShownBytes(before)
	if !ok || lim <= scanMemoryBytes {
		t.Skipf("DuckDB's default limit here is %s, not above %s", before, scanMemoryLimit)
	}
	var inside string
	if err := s.withScanMemory(ctx, func() error { inside = shownMemoryLimit(t, s); return nil }); err != nil {
		t.Fatal(err)
	}
	if inside != "244.1 MiB" {
		t.Errorf("limit during the scan = %q, want 244.1 MiB", inside)
	}
	if got := shownMemoryLimit(t, s); got != before {
		t.Errorf("limit after = %q, want the default %q", got, before)
	}
}

func TestParseShownBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"3.7 GiB", 3.7 * (1 << 30), true},
		{"244.1 MiB", 244.1 * (1 << 20), true},
		{"512 bytes", 512, true},
		{"1.0 TiB", 1 << 40, true},
		{"", 0, false},
		{"unlimited", 0, false},
		{"12 parsecs", 0, false},
		{"-1 GiB", 0, false},
	} {
		got, ok := parseShownBytes(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseShownBytes(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
