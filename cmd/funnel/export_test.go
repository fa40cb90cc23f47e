package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/queries"
)

// exportedRows reads one exported file back with DuckDB (read_parquet or
// read_csv by extension) as JSON objects, one a row.
func exportedRows(t *testing.T, st *queries.Store, path string) []map[string]any {
	t.Helper()
	reader := "read_parquet"
	if strings.HasSuffix(path, ".csv") {
		reader = "read_csv"
	}
	rows, err := st.DB().Query(`SELECT to_json(t)::VARCHAR FROM `+reader+`($1) AS t`, path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		out = append(out, m)
	}
	return out
}

// TestReportExportReadsBack exports the report of the hand fixture and
// reads every file of three tables back into DuckDB: each JSON row of
// by_channel, by_month and period, and each conversion entry of
// by_channel, is found in the CSV and in the Parquet file with the same
// values.
func TestReportExportReadsBack(t *testing.T) {
	db := reportFixture(t)
	dir := filepath.Join(t.TempDir(), "tables")
	js := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI(t, "report", "--db", db, "--json", js, "--export", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, filepath.Join(dir, "by_channel.parquet")) {
		t.Errorf("stdout does not name the exported files:\n%s", stdout)
	}
	var report map[string]any
	readJSON(t, js, &report)
	st, err := queries.Open(context.Background(), ":memory:", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, ext := range []string{".csv", ".parquet"} {
		for _, tc := range []struct{ table, key string }{{"by_channel", "channel"}, {"by_month", "month"}, {"period", "month"}} {
			got := exportedRows(t, st, filepath.Join(dir, tc.table+ext))
			want := report[tc.table].([]any)
			if len(got) != len(want) {
				t.Errorf("%s%s: %d rows, JSON has %d", tc.table, ext, len(got), len(want))
				continue
			}
			for _, w := range want {
				wr := w.(map[string]any)
				gr := findRow(got, map[string]any{tc.key: wr[tc.key]})
				if gr == nil {
					t.Errorf("%s%s: no row %s=%v", tc.table, ext, tc.key, wr[tc.key])
					continue
				}
				for k, v := range wr {
					if _, nested := v.([]any); nested {
						continue
					}
					if !sameValue(gr[k], v) {
						t.Errorf("%s%s row %v: %s = %v, JSON %v", tc.table, ext, wr[tc.key], k, gr[k], v)
					}
				}
			}
		}
		conv := exportedRows(t, st, filepath.Join(dir, "by_channel_conversion"+ext))
		n := 0
		for _, w := range report["by_channel"].([]any) {
			ch := w.(map[string]any)
			for _, c := range ch["conversion"].([]any) {
				cm := c.(map[string]any)
				n++
				gr := findRow(conv, map[string]any{"channel": ch["channel"], "stage": cm["stage"]})
				fl := cm["from_lead"].(map[string]any)
				if gr == nil || !sameValue(gr["converted"], cm["converted"]) || !sameValue(gr["from_lead_rate"], fl["rate"]) {
					t.Errorf("by_channel_conversion%s %v %v: got %v, JSON %v", ext, ch["channel"], cm["stage"], gr, cm)
				}
			}
		}
		if len(conv) != n {
			t.Errorf("by_channel_conversion%s: %d rows, JSON has %d", ext, len(conv), n)
		}
	}
	// A second export into the same folder replaces funnel's own files.
	if code, _, stderr := runCLI(t, "report", "--db", db, "--export", dir); code != exitOK {
		t.Errorf("second export: exit %d: %s", code, stderr)
	}
}

// TestReportExportRefusesForeignFiles: a file funnel did not write is
// never overwritten, and nothing else is written.
func TestReportExportRefusesForeignFiles(t *testing.T) {
	db := reportFixture(t)
	dir := t.TempDir()
	mine := filepath.Join(dir, "by_channel.csv")
	if err := os.WriteFile(mine, []byte("my own spreadsheet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "report", "--db", db, "--export", dir)
	if code != exitFailure || !strings.Contains(stderr, "by_channel.csv") || !strings.Contains(stderr, "--export") {
		t.Errorf("exit %d, stderr %q: want exit %d naming --export and by_channel.csv", code, stderr, exitFailure)
	}
	if b, _ := os.ReadFile(mine); string(b) != "my own spreadsheet\n" {
		t.Errorf("by_channel.csv overwritten: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v after a refused export, want only by_channel.csv", names)
	}
}

// findRow returns the first row whose columns equal every value of key.
func findRow(rows []map[string]any, key map[string]any) map[string]any {
	for _, r := range rows {
		ok := true
		for k, v := range key {
			ok = ok && sameValue(r[k], v)
		}
		if ok {
			return r
		}
	}
	return nil
}

// sameValue compares a value read back with the JSON's: numbers within
// 1e-12 relative (CSV prints doubles to 17 digits), else equal.
func sameValue(got, want any) bool {
	g, gok := got.(float64)
	w, wok := want.(float64)
	if gok && wok {
		d := g - w
		if d < 0 {
			d = -d
		}
		return d <= 1e-12*max(1, w, -w)
	}
	return got == want
}
