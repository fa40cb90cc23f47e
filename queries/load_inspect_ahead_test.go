package queries

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInspectAheadKeepsErrorOrder: files are checked by Go (encoding,
// quoting) on a goroutine while DuckDB already reads the first ones, but a
// load reports what it reported when every file was checked first: a later
// file's check error comes before an earlier file's reading error, the
// first file's check error before a later one's, and a refused first load
// leaves no workspace file.
func TestInspectAheadKeepsErrorOrder(t *testing.T) {
	dir := t.TempDir()
	goodLeads := writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel\nL1,2024-01-01 00:00:00,web\n")
	noLeadID := writeTestFile(t, dir, "noid.csv", "id,created_at,channel\nL1,2024-01-01 00:00:00,web\n")
	badLeads := writeTestFile(t, dir, "badleads.csv", "lead_id,created_at,channel\nL1,2024-01-01 00:00:00,w\xffb\n")
	badEvents := writeTestFile(t, dir, "events.csv", "lead_id,occurred_at,action\nL1,2024-01-02 00:00:00,vi\xffw\n")
	cases := []struct {
		name     string
		req      LoadRequest
		wantFile string
		want     string
	}{
		{"a later file's check before an earlier file's reading", LoadRequest{Leads: noLeadID, Events: badEvents}, badEvents, "UTF-8"},
		{"the first file's check before a later one's", LoadRequest{Leads: badLeads, Events: badEvents}, badLeads, "UTF-8"},
		{"a check error after a good file", LoadRequest{Leads: goodLeads, Events: badEvents}, badEvents, "UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.duckdb")
			s, err := Open(context.Background(), path, Options{DeferCreate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			tc.req.Now = func() time.Time { return loadNow }
			_, err = s.Load(context.Background(), tc.req)
			var ie *InputError
			if !errors.As(err, &ie) || ie.File != tc.wantFile || !strings.Contains(ie.Problem, tc.want) {
				t.Fatalf("load error %v, want an InputError of %s saying %q", err, tc.wantFile, tc.want)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the refused first load left %s (stat: %v)", path, err)
			}
		})
	}
	// The file without lead_id alone is refused for its column, so the
	// first case's order is the check's doing, not a file that reads well.
	s := openTestStore(t)
	if _, err := s.Load(context.Background(), LoadRequest{Leads: noLeadID, Now: func() time.Time { return loadNow }}); err == nil || strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("leads without lead_id: error %v, want a missing column", err)
	}
}

// TestLoadRecordsFileDigests: the load log records each file's SHA-256,
// computed on its own goroutine while the load reads the file, as the
// hash of the bytes on disk (for a gzipped file, the compressed bytes).
func TestLoadRecordsFileDigests(t *testing.T) {
	dir := t.TempDir()
	leads := writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel\nL1,2024-01-01 00:00:00,web\nL2,2024-01-02 00:00:00,ads\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("lead_id,occurred_at,action\nL1,2024-01-02 00:00:00,visit\n"))
	zw.Close()
	events := filepath.Join(dir, "events.csv.gz")
	if err := os.WriteFile(events, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t)
	mustLoad(t, s, LoadRequest{Leads: leads, Events: events, Now: func() time.Time { return loadNow }})
	for _, path := range []string{leads, events} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%x", sha256.Sum256(b))
		var got string
		if err := s.DB().QueryRow("SELECT sha256 FROM loads WHERE file = ?", path).Scan(&got); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got != want {
			t.Errorf("%s: recorded sha256 %s, want %s", filepath.Base(path), got, want)
		}
	}
}
