package queries

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConvertToParquet converts small CSV and JSON files, including paths
// with quotes and spaces, and reads the Parquet file back: identifiers keep
// their leading zeros, timestamps are typed (an offset is applied: 02:00+02:00
// is 00:00 UTC), other CSV columns stay text.
func TestConvertToParquet(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, file, body string
		wantTypes        string // column:type, comma separated, from DESCRIBE
		wantRows         string // rows as DuckDB prints them cast to text, ';' separated
	}{
		{
			name: "csv", file: "events.csv",
			body:      "lead_id,occurred_at,action,value\n00123,2024-07-01 00:17:21,page_view,6\n00124,2024-07-02 08:00:00,email_open,\n",
			wantTypes: "lead_id:VARCHAR,occurred_at:TIMESTAMP,action:VARCHAR,value:VARCHAR",
			wantRows:  "00123|2024-07-01 00:17:21|page_view|6;00124|2024-07-02 08:00:00|email_open|NULL",
		},
		{
			name: "quotes and spaces in the path", file: `it's a "file" ; drop.csv`,
			body:      "lead_id,created_at,channel\nL1,2024-01-31 23:59:59,web\n",
			wantTypes: "lead_id:VARCHAR,created_at:TIMESTAMP,channel:VARCHAR",
			wantRows:  "L1|2024-01-31 23:59:59|web",
		},
		{
			name: "semicolon delimited with offsets", file: "stages.csv",
			body:      "lead_id;stage;entered_at\nL1;mql;2024-07-01T02:00:00+02:00\nL2;sql;2024-07-01T00:30:00Z\n",
			wantTypes: "lead_id:VARCHAR,stage:VARCHAR,entered_at:TIMESTAMP WITH TIME ZONE",
			// Stored as the UTC instant; printed here in UTC (the store's zone).
			wantRows: "L1|mql|2024-07-01 00:00:00+00;L2|sql|2024-07-01 00:30:00+00",
		},
		{
			name: "ndjson", file: "outcomes.ndjson",
			body:      `{"lead_id":"L1","closed_at":"2024-03-01 10:00:00","outcome":"won","amount":1200.5}` + "\n",
			wantTypes: "lead_id:VARCHAR,closed_at:TIMESTAMP,outcome:VARCHAR,amount:DOUBLE",
			wantRows:  "L1|2024-03-01 10:00:00|won|1200.5",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(ctx, filepath.Join(dir, "w.duckdb"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			in := writeTestFile(t, dir, tc.file, tc.body)
			out := filepath.Join(dir, `out 'x'.parquet`)
			if err := s.ConvertToParquet(ctx, in, out); err != nil {
				t.Fatalf("convert: %v", err)
			}
			if got := parquetTypes(t, s, out); got != tc.wantTypes {
				t.Errorf("types\n got %s\nwant %s", got, tc.wantTypes)
			}
			if got := parquetRows(t, s, out); got != tc.wantRows {
				t.Errorf("rows\n got %s\nwant %s", got, tc.wantRows)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestConvertToParquetErrors checks refused requests and that a failed
// conversion leaves an existing output untouched and no temporary file.
func TestConvertToParquetErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	good := writeTestFile(t, dir, "a.csv", "lead_id,x\nL1,1\n")
	bad := writeTestFile(t, dir, "bad.json", "{not json")
	out := writeTestFile(t, dir, "keep.parquet", "old")
	cases := []struct{ name, in, out, want string }{
		{"parquet input", filepath.Join(dir, "x.parquet"), out, "already Parquet"},
		{"unknown input type", filepath.Join(dir, "x.xlsx"), out, "Excel"},
		{"output not parquet", good, filepath.Join(dir, "x.csv"), "must end in .parquet"},
		{"missing input", filepath.Join(dir, "missing.csv"), out, "no such file"},
		{"unreadable json", bad, out, "convert"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.ConvertToParquet(ctx, tc.in, tc.out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if b, _ := os.ReadFile(out); string(b) != "old" {
				t.Errorf("existing output changed: %q", b)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestConvertedLoadsAlike loads the messy fixture once from its CSV files and
// once from their Parquet conversions: the stored tables must be identical.
func TestConvertedLoadsAlike(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fromCSV, err := Open(ctx, filepath.Join(dir, "csv.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fromCSV.Close()
	fromPQ, err := Open(ctx, filepath.Join(dir, "pq.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fromPQ.Close()
	req := messyRequest()
	pq := LoadRequest{}
	for _, p := range []struct {
		in  string
		out *string
	}{
		{req.Leads, &pq.Leads}, {req.Events, &pq.Events}, {req.Stages, &pq.Stages}, {req.Outcomes, &pq.Outcomes},
	} {
		*p.out = filepath.Join(dir, strings.TrimSuffix(filepath.Base(p.in), ".csv")+".parquet")
		if err := fromPQ.ConvertToParquet(ctx, p.in, *p.out); err != nil {
			t.Fatalf("convert %s: %v", p.in, err)
		}
	}
	mustLoad(t, fromCSV, req)
	mustLoad(t, fromPQ, pq)
	for _, table := range []string{"leads", "lead_attributes", "events", "stages", "outcomes"} {
		a, b := tableText(t, fromCSV, table), tableText(t, fromPQ, table)
		if a != b {
			t.Errorf("%s differs:\nfrom CSV     %s\nfrom Parquet %s", table, a, b)
		}
		if a == "" {
			t.Errorf("%s is empty", table)
		}
	}
}

func parquetTypes(t *testing.T, s *Store, path string) string {
	t.Helper()
	rows, err := s.DB().Query("DESCRIBE SELECT * FROM read_parquet(?)", path)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var name, typ string
		var a, b, c, d any
		if err := rows.Scan(&name, &typ, &a, &b, &c, &d); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, name+":"+typ)
	}
	return strings.Join(parts, ",")
}

func parquetRows(t *testing.T, s *Store, path string) string {
	t.Helper()
	rows, err := s.DB().Query(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet(?)`, path)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fields := make([]string, len(cols))
		for i, v := range vals {
			fields[i] = "NULL"
			if v.Valid {
				fields[i] = v.String
			}
		}
		out = append(out, strings.Join(fields, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, ";")
}

// tableText is the whole table as sorted text, for comparing two stores.
func tableText(t *testing.T, s *Store, table string) string {
	t.Helper()
	var got *string
	q := `SELECT string_agg(r, ';' ORDER BY r) FROM (SELECT CAST(t AS VARCHAR) AS r FROM ` + QuoteIdent(table) + ` AS t)`
	if err := s.DB().QueryRow(q).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got == nil {
		return ""
	}
	return *got
}

// TestConvertRefusesRaggedRows (issue 13, item 7): a CSV row with fewer or
// more fields than the header is refused by ConvertToParquet with the same
// *InputError Load gives for the file — file, line and problem — instead of
// being padded; no output is written. The lines are counted by hand: the
// header is line 1, and the quoted line break in L2's channel makes L3 start
// on line 5.
func TestConvertRefusesRaggedRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		name, content, want string
	}{
		{"too few", "lead_id,created_at,channel\nL1,2024-01-01,web\nL2,2024-01-02\nL3,2024-01-03,web,extra\nL4,2024-01-04,web\n",
			"few.csv line 3: expected 3 fields like the header, found 2 (1 more row has a problem)"},
		{"too many after a quoted line break", "lead_id,created_at,channel\nL1,2024-01-01,web\nL2,2024-01-02,\"two\nlines\"\nL3,2024-01-03,web,extra\nL4,2024-01-04,web\n",
			"many.csv line 5: expected 3 fields like the header, found 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			name := strings.Fields(c.want)[0]
			in := writeTestFile(t, dir, name, c.content)
			out := filepath.Join(dir, name+".parquet")
			err := s.ConvertToParquet(ctx, in, out)
			var ie *InputError
			if !errors.As(err, &ie) || err.Error() != filepath.Join(dir, c.want) {
				t.Fatalf("err = %v, want %s", err, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("the refused conversion wrote its output")
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
			_, loadErr := s.Load(ctx, LoadRequest{Leads: in})
			if loadErr == nil || loadErr.Error() != err.Error() {
				t.Errorf("load says %v; convert says %v", loadErr, err)
			}
		})
	}
}
