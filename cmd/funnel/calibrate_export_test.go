package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/queries"
)

// TestCalibrateExport calibrates with --export and reads every exported
// table back with DuckDB, from the CSV and from the Parquet file, comparing
// each row and value with calibration.json read as plain JSON.
func TestCalibrateExport(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and calibrates 4000 leads")
	}
	db := generatedDB(t, 4000)
	dir := t.TempDir()
	js, exp := filepath.Join(dir, "calibration.json"), filepath.Join(dir, "export")
	args := []string{"calibrate", "--db", db, "--out", filepath.Join(dir, "model.yaml"), "--json", js, "--export", exp,
		"--attrs", "title,company_size"}
	// A file of the same name that funnel did not write is never
	// replaced, and nothing else is written either.
	if err := os.MkdirAll(exp, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(exp, "gains.csv")
	if err := os.WriteFile(mine, []byte("my own numbers\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, args...)
	if code != exitFailure || !strings.Contains(stderr, "gains.csv exists and was not written by funnel") {
		t.Errorf("export over a foreign gains.csv: exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(mine); string(b) != "my own numbers\n" {
		t.Errorf("the user's file was changed: %q", b)
	}
	for _, p := range []string{js, filepath.Join(dir, "model.yaml"), filepath.Join(exp, exportManifest)} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a refused export wrote %s", p)
		}
	}
	if err := os.Remove(mine); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "wrote "+filepath.Join(exp, "coefficients.parquet")) {
		t.Errorf("stdout %q does not name the export folder", stdout)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := queries.Open(ctx, ":memory:", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	metrics := doc["metrics"].(map[string]any)
	for name, rows := range map[string]any{
		"coefficients": doc["coefficients"], "calibration_curve": doc["calibration_curve"], "gains": doc["gains"],
		"roc": doc["roc"], "tradeoff": doc["tradeoff"], "score_table": doc["score_table"], "landmarks": doc["landmarks"],
		"half_life_curve": doc["half_life_curve"], "metrics_by_landmark": metrics["by_landmark"],
		"decision_comparisons": calibFlattenRows(doc["decision"].(map[string]any)["comparisons"]),
	} {
		want := rows.([]any)
		if len(want) == 0 {
			t.Errorf("%s: the JSON has no rows; the test checks nothing", name)
		}
		for _, ext := range []string{"csv", "parquet"} {
			got := calibReadBack(t, st, filepath.Join(exp, name+"."+ext))
			if len(got) != len(want) {
				t.Errorf("%s.%s: %d rows, JSON %d", name, ext, len(got), len(want))
				continue
			}
			for i, w := range want {
				for k, wv := range w.(map[string]any) {
					if _, nested := wv.([]any); nested {
						continue // lists inside a row (an empty sample) are joined text
					}
					if gv, ok := got[i][k]; !ok || !calibSameValue(gv, wv) {
						t.Errorf("%s.%s row %d %s = %v (%T), JSON %v", name, ext, i+1, k, gv, gv, wv)
					}
				}
			}
		}
	}
	// The single figures are in the table "report".
	for _, ext := range []string{"csv", "parquet"} {
		s := calibReadBack(t, st, filepath.Join(exp, "report."+ext))
		th := doc["threshold"].(map[string]any)
		if len(s) != 1 || !calibSameValue(s[0]["threshold_points"], th["points"]) || !calibSameValue(s[0]["metrics_auc_test"], metrics["auc_test"]) ||
			!calibSameValue(s[0]["target"], doc["target"]) {
			t.Errorf("report.%s %v: want threshold %v, test AUC %v", ext, s, th["points"], metrics["auc_test"])
		}
	}

	// A second export into the same folder replaces its own files.
	if code, _, stderr := runCLI(t, args...); code != exitOK {
		t.Fatalf("second export: exit %d; stderr %q", code, stderr)
	}
}

// readBack reads an exported file with DuckDB into rows keyed by column.
func calibReadBack(t *testing.T, st *queries.Store, path string) []map[string]any {
	t.Helper()
	q := "SELECT * FROM read_parquet(?)"
	if strings.HasSuffix(path, ".csv") {
		q = "SELECT * FROM read_csv(?, header = true)"
	}
	rows, err := st.DB().QueryContext(context.Background(), q, path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		for i, c := range cols {
			m[c] = vals[i]
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameValue compares a value read back by DuckDB with one of the JSON:
// numbers by value, the rest by their text.
func calibSameValue(got, want any) bool {
	if w, ok := want.(float64); ok {
		switch g := got.(type) {
		case float64:
			return g == w
		case int64:
			return float64(g) == w
		case int32:
			return float64(g) == w
		}
		return false
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

// flattenRows turns rows with nested objects into flat rows, the keys
// joined with "_" ({"today": {"mqls": 3}} → {"today_mqls": 3}).
func calibFlattenRows(v any) []any {
	var out []any
	for _, r := range v.([]any) {
		flat := map[string]any{}
		var walk func(prefix string, m map[string]any)
		walk = func(prefix string, m map[string]any) {
			for k, x := range m {
				if sub, ok := x.(map[string]any); ok {
					walk(prefix+k+"_", sub)
					continue
				}
				flat[prefix+k] = x
			}
		}
		walk("", r.(map[string]any))
		out = append(out, flat)
	}
	return out
}
