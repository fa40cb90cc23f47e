package queries

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryOpenIsNetworkFree (issue 7, point 5): whatever the options
// (read-write, read-only, in memory, with a memory limit and a temporary
// folder), every connection of the pool has extension auto-install,
// auto-load and community extensions switched off, so no query can make
// DuckDB download anything.
func TestEveryOpenIsNetworkFree(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "n.duckdb")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, messyRequest()) // creates the file
	s.Close()
	for _, c := range []struct {
		name string
		path string
		opts Options
	}{
		{"read-write", path, Options{}},
		{"read-only", path, Options{ReadOnly: true}},
		{"read-only with limits", path, Options{ReadOnly: true, MemoryLimit: "300MB", TempDir: t.TempDir()}},
		{"in memory", ":memory:", Options{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Open(ctx, c.path, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			// Three connections held at once, so the pool opens three.
			for i := range 3 {
				conn, err := s.DB().Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				for _, name := range []string{"autoinstall_known_extensions", "autoload_known_extensions", "allow_community_extensions"} {
					var v string
					if err := conn.QueryRowContext(ctx, "SELECT current_setting('"+name+"')::VARCHAR").Scan(&v); err != nil {
						t.Fatal(err)
					}
					if v != "false" {
						t.Errorf("connection %d: %s = %s, want false", i, name, v)
					}
				}
			}
		})
	}
}

// TestURLNeedsNoNetwork (issue 7, point 5): a query naming an http URL
// fails without connecting anywhere: httpfs is not built in and may not be
// installed or loaded. The address is this machine's discard port.
func TestURLNeedsNoNetwork(t *testing.T) {
	s, err := Open(context.Background(), ":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.DB().ExecContext(context.Background(), "SELECT * FROM read_csv('http://127.0.0.1:9/events.csv')")
	if err == nil {
		t.Fatal("read_csv of an http URL succeeded")
	}
	msg := err.Error()
	t.Logf("DuckDB: %s", msg)
	if !strings.Contains(msg, "httpfs") || strings.Contains(strings.ToLower(msg), "connection refused") {
		t.Errorf("error %q: want DuckDB to refuse for want of the httpfs extension, not to try the address", msg)
	}
}

// TestReadOnlyOpenOfFileWithoutTables: a DuckDB file with none of the
// workspace tables (not made by funnel) is refused read-only with
// ErrNotWorkspace; a read-write open alone changes nothing in it; a load
// creates the tables, after which it opens read-only.
func TestReadOnlyOpenOfFileWithoutTables(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "other.duckdb")
	other, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, "CREATE TABLE something_else (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	other.Close()

	_, err = Open(ctx, path, Options{ReadOnly: true})
	if !errors.Is(err, ErrNotWorkspace) {
		t.Fatalf("read-only open of a file without the tables: %v, want ErrNotWorkspace", err)
	}
	want := "database " + path + " holds no funnel tables (not a funnel workspace, or its first load was interrupted); create them with funnel load --db " + path
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err = Open(ctx, path, Options{ReadOnly: true}); !errors.Is(err, ErrNotWorkspace) {
		t.Fatalf("read-only open after a read-write open: %v, want ErrNotWorkspace still", err)
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, messyRequest())
	s.Close()
	s, err = Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open after a load: %v", err)
	}
	defer s.Close()
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM something_else").Scan(&n); err != nil {
		t.Errorf("the file's own table after the load: %v", err)
	}
}
