package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// numericDB holds 400 hourly leads with a numeric attribute minutes (i mod
// 50, empty for every tenth lead), an attribute age that is a number but
// "n/a" for L7, and outcomes that favour long visits.
func numericDB(t *testing.T) string {
	t.Helper()
	return makeDB(t, `INSERT INTO leads
SELECT 'L' || i, TIMESTAMP '2023-01-01' + to_hours(i), CASE WHEN i % 2 = 0 THEN 'web' ELSE 'referral' END
FROM range(400) t(i)`, `INSERT INTO lead_attributes
SELECT 'L' || i, 'minutes', CASE WHEN i % 10 = 3 THEN '' ELSE CAST(i % 50 AS VARCHAR) END FROM range(400) t(i)
UNION ALL
SELECT 'L' || i, 'age', CASE WHEN i = 7 THEN 'n/a' ELSE CAST(20 + i % 37 AS VARCHAR) END FROM range(400) t(i)`, `INSERT INTO outcomes
SELECT 'L' || i, CASE WHEN won THEN TIMESTAMP '2023-03-01' ELSE TIMESTAMP '2024-06-01' END,
       CASE WHEN won THEN 'won' ELSE 'lost' END, NULL
FROM (SELECT i, i % 4 = 1 OR (i % 50 > 30 AND i % 3 = 0) OR i % 10 = 3 AND i % 20 = 3 AS won FROM range(400) t(i))`)
}

func TestCalibrateNumeric(t *testing.T) {
	db := numericDB(t)
	for _, mode := range []string{"bins", "bins-raw", "linear"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			model := filepath.Join(dir, "m.yaml")
			code, _, stderr := runCLI(t, "calibrate", "--db", db, "--out", model, "--attrs", "minutes,age", "--numeric", mode, "--landmarks", "7")
			if code != exitOK {
				t.Fatalf("exit %d; stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, "note: attribute age looks numeric") || !strings.Contains(stderr, `"n/a"`) {
				t.Errorf("stderr %q: want the note on age naming \"n/a\"", stderr)
			}
			b, err := os.ReadFile(model)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), "numeric:") || !strings.Contains(string(b), "  minutes:") {
				t.Errorf("model file without numeric minutes:\n%s", b)
			}
			if code, _, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", filepath.Join(dir, "s.csv")); code != exitOK {
				t.Errorf("score: exit %d; stderr %q", code, stderr)
			}
		})
	}
}

func TestCalibrateNumericErrors(t *testing.T) {
	db := numericDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "m.yaml")
	if code, _, stderr := runCLI(t, "calibrate", "--db", db, "--out", out, "--numeric", "cubic"); code != exitUsage || !strings.Contains(stderr, "--numeric") {
		t.Errorf("--numeric cubic: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := runCLI(t, "calibrate", "--db", db, "--out", out, "--attrs", "value:webinar")
	if code != exitFailure || !strings.Contains(stderr, `no action "webinar"`) {
		t.Errorf("--attrs value:webinar without such events: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed run wrote %s", out)
	}
}
