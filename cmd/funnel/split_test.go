package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCalibrateSplitUsage(t *testing.T) {
	for _, flags := range [][]string{
		{"--split", "sideways"},
		{"--seed", "0"},
		{"--test-share", "1"},
		{"--test-share", "0"},
		{"--min-leads", "0"},
	} {
		args := append([]string{"calibrate", "--db", "x.duckdb", "--out", "m.yaml"}, flags...)
		if code, _, stderr := runCLI(t, args...); code != exitUsage || !strings.Contains(stderr, flags[0]) {
			t.Errorf("%q: exit %d stderr %q, want %d naming %s", flags, code, stderr, exitUsage, flags[0])
		}
	}
}

// sharedDateDB is leads400 with every 5th lead won and every 4th lead
// (100 of 400, 25%) moved to one moment, 2023-01-10.
func sharedDateDB(t *testing.T) string {
	return makeDB(t, leads400,
		`INSERT INTO outcomes SELECT 'L' || i, TIMESTAMP '2023-03-01', CASE WHEN i % 5 = 0 THEN 'won' ELSE 'lost' END, NULL FROM range(400) t(i)`,
		`UPDATE leads SET created_at = TIMESTAMP '2023-01-10' WHERE CAST(substr(lead_id, 2) AS INTEGER) % 4 = 0`)
}

// splitResult holds the parts of calibration.json a split test reads.
type splitResult struct {
	Options struct {
		Split     string  `json:"split"`
		Seed      uint64  `json:"seed"`
		TestShare float64 `json:"test_share"`
	} `json:"options"`
	Intercept float64 `json:"intercept"`
	Leads     struct {
		Train int `json:"train"`
		Test  int `json:"test"`
	} `json:"leads"`
	Metrics struct {
		PositivesTest int `json:"positives_test"`
	} `json:"metrics"`
	Warnings []string `json:"warnings"`
}

// calibrateSplit runs funnel calibrate at one landmark (7 days: one
// snapshot per lead) with args and reads its calibration.json.
func calibrateSplit(t *testing.T, db string, args ...string) splitResult {
	t.Helper()
	dir := t.TempDir()
	js := filepath.Join(dir, "calibration.json")
	all := append([]string{"calibrate", "--db", db, "--out", filepath.Join(dir, "m.yaml"), "--json", js, "--half-life", "none", "--landmarks", "7"}, args...)
	code, _, stderr := runCLI(t, all...)
	if code != exitOK {
		t.Fatalf("%q: exit %d; stderr %q", args, code, stderr)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var r splitResult
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCalibrateSharedDate(t *testing.T) {
	db := sharedDateDB(t)
	out := filepath.Join(t.TempDir(), "m.yaml")
	code, _, stderr := runCLI(t, "calibrate", "--db", db, "--out", out, "--split", "time", "--half-life", "none")
	want := "100 of 400 mature leads (25%, more than 20%) were created at the same moment 2023-01-10T00:00:00Z"
	if code != exitFailure || !strings.HasPrefix(stderr, "error: ") || strings.Count(stderr, "\n") != 1 ||
		!strings.Contains(stderr, want) || !strings.Contains(stderr, "use --split random") {
		t.Fatalf("--split time: exit %d stderr %q, want 1 and one line saying %q and the fix", code, stderr, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written by a refused run", out)
	}

	// Without --split: random, seed 1, share 0.3, said in a warning. 80
	// winners and 320 others: round(0.3·80) = 24 and round(0.3·320) = 96
	// test leads.
	r := calibrateSplit(t, db)
	if o := r.Options; o.Split != "random" || o.Seed != 1 || o.TestShare != 0.3 {
		t.Errorf("options %+v, want random, seed 1, test share 0.3", o)
	}
	if r.Leads.Test != 120 || r.Leads.Train != 280 || r.Metrics.PositivesTest != 24 {
		t.Errorf("%d training and %d test leads, %d test winners; want 280, 120, 24", r.Leads.Train, r.Leads.Test, r.Metrics.PositivesTest)
	}
	if !strings.Contains(strings.Join(r.Warnings, "\n"), want+", so newest-first is not an order in time, so leads were split at random (seed 1)") {
		t.Errorf("warnings %q lack the fallback", r.Warnings)
	}

	// --seed 7 --test-share 0.25: 20 + 80 test leads; the same seed gives
	// the same fit, another seed another.
	a := calibrateSplit(t, db, "--split", "random", "--seed", "7", "--test-share", "0.25")
	b := calibrateSplit(t, db, "--split", "random", "--seed", "7", "--test-share", "0.25")
	c := calibrateSplit(t, db, "--split", "random", "--seed", "8", "--test-share", "0.25")
	if o := a.Options; o.Split != "random" || o.Seed != 7 || o.TestShare != 0.25 || a.Leads.Test != 100 || a.Metrics.PositivesTest != 20 {
		t.Errorf("seed 7: options %+v, %d test leads with %d winners; want 100 with 20", o, a.Leads.Test, a.Metrics.PositivesTest)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("seed 7 twice: %+v and %+v", a, b)
	}
	if a.Intercept == c.Intercept {
		t.Errorf("seeds 7 and 8 fit the same intercept %v: the seed is not used", a.Intercept)
	}
}

func TestScoreCountsUnseenLevels(t *testing.T) {
	// leads400 plus three leads from "fax" and an undated lead with an
	// empty channel: a model fitted with baselines (channel web) knows web
	// and referral only, so those four score as the baseline and are counted.
	// The undated lead's page view does not count (its moment is unknown:
	// its snapshot has no moment, and the action query reads dated leads
	// only; with both removed this test fails);
	// L0's two page views do (web, the baseline: 2 points).
	db := makeDB(t, leads400, `ALTER TABLE leads ALTER created_at DROP NOT NULL`,
		`INSERT INTO leads VALUES ('F1', '2023-02-01', 'fax'), ('F2', '2023-02-01', 'fax'), ('F3', '2023-02-01', 'fax'), ('U1', NULL, '')`,
		`INSERT INTO events VALUES ('U1', '2023-03-01', 'page_view', NULL)`)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(model, []byte("version: 1\nthreshold: 3\nactions: {page_view: 1}\nchannels: {referral: 2}\nbaselines: {channel: web}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "scores.csv")
	code, _, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	if want := "score: 4 of 404 leads have a channel or attribute value " + model + " was not fitted on; it scores 0 points, as the baseline\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	seen := 0
	for _, r := range readCSV(t, out)[1:] {
		switch r[0] {
		case "U1":
			seen++
			if got := strings.Join(r, ","); got != "U1,0,,false,open,," {
				t.Errorf("undated lead row %q, want score 0 and an empty age", got)
			}
		case "L0":
			seen++
			if r[1] != "2" {
				t.Errorf("L0 score %s, want 2 (two page views)", r[1])
			}
		}
	}
	if seen != 2 {
		t.Errorf("rows of U1 and L0: %d, want both", seen)
	}
}
