package queries

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// writeTestFile writes body to dir/name and returns the path.
func writeTestFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// copyTo writes the result of query to path in DuckDB's format (parquet or
// json), for fixtures in formats a test cannot write by hand.
func copyTo(t *testing.T, s *Store, query, path, format string) {
	t.Helper()
	stmt := "COPY (" + query + ") TO " + quoteLiteral(path) + " (FORMAT " + format + ")"
	if _, err := s.DB().Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// tableCounts are the row counts of the four contract tables plus
// attributes and the load log.
type tableCounts struct{ leads, events, stages, outcomes, attrs, loads int64 }

func countsOf(t *testing.T, s *Store) tableCounts {
	t.Helper()
	st, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tableCounts{st.Leads, st.Events, st.Stages, st.Outcomes, st.LeadAttributes, int64(len(st.Loads))}
}

// messyRequest is the request loading testdata/load/messy.
func messyRequest() LoadRequest {
	d := filepath.Join("..", "testdata", "load", "messy")
	return LoadRequest{
		Leads:    filepath.Join(d, "leads.csv"),
		Events:   filepath.Join(d, "events.csv"),
		Stages:   filepath.Join(d, "stages.csv"),
		Outcomes: filepath.Join(d, "outcomes.csv"),
	}
}

func mustLoad(t *testing.T, s *Store, req LoadRequest) LoadResult {
	t.Helper()
	res, err := s.Load(context.Background(), req)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return res
}

func writeFileBytes(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }

func readFileBytes(path string) ([]byte, error) { return os.ReadFile(path) }

// setKindPath names path as req's file of the given kind.
func setKindPath(req *LoadRequest, kind Kind, path string) {
	switch kind {
	case KindLeads:
		req.Leads = path
	case KindEvents:
		req.Events = path
	case KindStages:
		req.Stages = path
	case KindOutcomes:
		req.Outcomes = path
	}
}

// textRows returns the rows of a one-column text query, in its order.
func textRows(t *testing.T, s *Store, query string) []string {
	t.Helper()
	rows, err := s.DB().Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
