package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// numericDB holds 400 hourly leads with a numeric attribute minutes (i mod
// 50, missing for every tenth lead: "(missing)", as a load stores an empty
// field), an attribute age that is a number but
// "n/a" for L7, and outcomes that favour long visits.
func numericDB(t *testing.T) string {
	t.Helper()
	return makeDB(t, `INSERT INTO leads
SELECT 'L' || i, TIMESTAMP '2023-01-01' + to_hours(i), CASE WHEN i % 2 = 0 THEN 'web' ELSE 'referral' END
FROM range(400) t(i)`, `ALTER TABLE leads ADD COLUMN "attr:minutes" VARCHAR`, `ALTER TABLE leads ADD COLUMN "attr:age" VARCHAR`,
		`UPDATE leads SET "attr:minutes" = CASE WHEN i % 10 = 3 THEN '(missing)' ELSE CAST(i % 50 AS VARCHAR) END,
    "attr:age" = CASE WHEN i = 7 THEN 'n/a' ELSE CAST(20 + i % 37 AS VARCHAR) END
FROM range(400) t(i) WHERE leads.lead_id = 'L' || i`, `INSERT INTO outcomes
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

// TestScoreHandWrittenNumericModel scores numericDB with a hand-written
// model of bins as of 2023-02-01 (every lead created, none closed yet):
//
//	L0:  minutes 0 → (-inf,5) −9; age 20 → (-inf,30) +1: −8
//	L3:  minutes empty → missing −4; age 23 → +1: −3
//	L7:  minutes 7 → [5,30) 0; age "n/a" is no number and age has no
//	     missing points: 0, no reasons
//	L35: minutes 35 → [30,inf) +12; age 20 + 35 = 55 → +2: 14 ≥ 10, MQL
func TestScoreHandWrittenNumericModel(t *testing.T) {
	db := numericDB(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "hand.yaml")
	if err := os.WriteFile(model, []byte(`version: 1
threshold: 10
numeric:
  minutes:
    missing: -4
    bins: [{below: 5, points: -9}, {below: 30, points: 0}, {points: 12}]
  age:
    bins: [{below: 30, points: 1}, {points: 2}]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "scores.csv")
	if code, _, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", out, "--as-of", "2023-02-01"); code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	want := map[string]string{
		"L0":  "-8,false,open,minutes=(-inf,5) -9; age=(-inf,30) +1",
		"L3":  "-3,false,open,minutes=(missing) -4; age=(-inf,30) +1",
		"L7":  "0,false,open,",
		"L35": "14,true,open,minutes=[30,inf) +12; age=[30,inf) +2",
	}
	seen := 0
	for _, r := range readCSV(t, out)[1:] {
		if w, ok := want[r[0]]; ok {
			seen++
			if got := strings.Join([]string{r[1], r[3], r[4], r[6]}, ","); got != w {
				t.Errorf("%s: %q, want %q", r[0], got, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d leads", seen, len(want))
	}
}
