package queries

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenDisablesExtensionDownload(t *testing.T) {
	s := openTestStore(t)
	for _, name := range []string{"autoinstall_known_extensions", "autoload_known_extensions", "allow_community_extensions"} {
		var v string
		if err := s.DB().QueryRow("SELECT current_setting('" + name + "')::VARCHAR").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != "false" {
			t.Errorf("%s = %s, want false", name, v)
		}
	}
}

func TestOpenCreatesSchema(t *testing.T) {
	s := openTestStore(t)
	for _, table := range []string{"leads", "lead_attributes", "events", "stages", "outcomes", "loads"} {
		var n int
		if err := s.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}

func TestArrowQuery(t *testing.T) {
	s := openTestStore(t)
	r, err := s.ArrowQuery(context.Background(), "SELECT range AS x FROM range(?)", 5000)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	var rows int64
	for r.Next() {
		rows += r.RecordBatch().NumRows()
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != 5000 {
		t.Fatalf("rows = %d, want 5000", rows)
	}
}

func TestOpenSecondWriterIsInUse(t *testing.T) {
	// DuckDB locks the file per process; within one process a second Open of
	// the same file shares the instance, so this only checks the error mapping.
	err := openError("x.duckdb", errors.New("IO Error: Could not set lock on file \"x.duckdb\": Conflicting lock is held"))
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("err = %v, want ErrInUse", err)
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"lead_id":        `"lead_id"`,
		`a"b`:            `"a""b"`,
		`x"; DROP TABLE`: `"x""; DROP TABLE"`,
	} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestOpenAppliesMemoryLimitAndTempDir(t *testing.T) {
	tmp := t.TempDir()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), Options{MemoryLimit: "300MB", TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var limit, dir string
	if err := s.DB().QueryRow("SELECT current_setting('memory_limit'), current_setting('temp_directory')").Scan(&limit, &dir); err != nil {
		t.Fatal(err)
	}
	// DuckDB reports 300MB (10^6 bytes) as 286.1 MiB.
	if limit != "286.1 MiB" {
		t.Errorf("memory_limit = %q, want 286.1 MiB", limit)
	}
	if dir != tmp {
		t.Errorf("temp_directory = %q, want %q", dir, tmp)
	}
}

// setAttributes stores attribute values as a load does, each {lead_id,
// name, value} in the column of leads for name (added if missing); a
// value for a lead not stored is dropped, as a load cannot store one.
func setAttributes(t *testing.T, s *Store, rows ...[3]any) {
	t.Helper()
	ctx := context.Background()
	for _, r := range rows {
		col := attributeColumn(r[1].(string))
		if _, err := s.DB().ExecContext(ctx, "ALTER TABLE leads ADD COLUMN IF NOT EXISTS "+col+" VARCHAR"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, "UPDATE leads SET "+col+" = ? WHERE lead_id = ?", r[2], r[0]); err != nil {
			t.Fatal(err)
		}
	}
}
