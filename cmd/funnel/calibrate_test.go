package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/calibrate"
	"github.com/funnel-dev/funnel/internal/gen"
	"github.com/funnel-dev/funnel/queries"
)

// makeDB creates a workspace in a temporary folder, runs the test-only SQL
// statements in it, closes it and returns its path.
func makeDB(t *testing.T, stmts ...string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.duckdb")
	st, err := queries.Open(ctx, path, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, s := range stmts {
		if _, err := st.DB().ExecContext(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	return path
}

// generatedDB generates and loads a small data set with a planted model.
func generatedDB(t *testing.T, leads int) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := gen.Generate(ctx, gen.Config{Leads: leads, Months: 24, Seed: 3,
		End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "w.duckdb")
	st, err := queries.Open(ctx, path, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Load(ctx, queries.LoadRequest{
		Leads: filepath.Join(dir, gen.LeadsFile), Events: filepath.Join(dir, gen.EventsFile),
		Stages: filepath.Join(dir, gen.StagesFile), Outcomes: filepath.Join(dir, gen.OutcomesFile),
	}); err != nil {
		t.Fatal(err)
	}
	return path
}

// Four hundred leads, one an hour from 2023-01-01, with a page view for
// every third lead; the data ends in 2024 so every outcome window (180
// days) has closed.
const leads400 = `INSERT INTO leads
SELECT 'L' || i, TIMESTAMP '2023-01-01' + to_hours(i), CASE WHEN i % 2 = 0 THEN 'web' ELSE 'referral' END
FROM range(400) t(i);
INSERT INTO events SELECT 'L' || i, TIMESTAMP '2023-01-01' + to_hours(i) + INTERVAL 1 DAY, 'page_view', NULL
FROM range(400) t(i) WHERE i % 3 = 0;
INSERT INTO events VALUES ('L0', '2024-06-01', 'page_view', NULL);`

func TestCalibrateErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stmts []string
		want  string
	}{
		// Every lead was created in the last day of the data: no outcome
		// window has closed.
		{"empty training set", []string{`INSERT INTO leads
			SELECT 'L' || i, TIMESTAMP '2025-01-01' + to_minutes(i), 'web' FROM range(100) t(i)`},
			"none with a closed 180-day outcome window"},
		// Nobody won.
		{"single class", []string{leads400, `INSERT INTO outcomes
			SELECT 'L' || i, TIMESTAMP '2023-02-01', 'lost', NULL FROM range(400) t(i)`},
			"every row has the same outcome"},
		// Exactly the leads with a demo request won: separation on it.
		{"separation", []string{leads400, `INSERT INTO events
			SELECT 'L' || i, TIMESTAMP '2023-01-01' + to_hours(i) + INTERVAL 2 DAY, 'demo_request', NULL
			FROM range(400) t(i) WHERE i % 4 = 0`, `INSERT INTO outcomes
			SELECT 'L' || i, TIMESTAMP '2023-03-01', CASE WHEN i % 4 = 0 THEN 'won' ELSE 'lost' END, NULL
			FROM range(400) t(i)`},
			"perfect separation on action:demo_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := makeDB(t, tc.stmts...)
			out := filepath.Join(t.TempDir(), "model.yaml")
			code, _, stderr := runCLI(t, "calibrate", "--db", db, "--out", out, "--half-life", "none")
			if code != exitFailure {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitFailure, stderr)
			}
			if !strings.HasPrefix(stderr, "error: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want one error: line containing %q", stderr, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s written despite the error", out)
			}
		})
	}
}

func TestCalibrateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"calibrate", "--out", "m.yaml"},
		{"calibrate", "--db", "x.duckdb"},
		{"calibrate", "--db", "x.duckdb", "--out", "m.yaml", "--half-life", "soon"},
		{"calibrate", "--db", "x.duckdb", "--out", "m.yaml", "--target", "mql"},
		{"score", "--db", "x.duckdb", "--model", "m.yaml"},
		{"score", "--db", "x.duckdb", "--model", "m.yaml", "--out", "s.xlsx"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d (stderr %q)", args, code, exitUsage, stderr)
		}
	}
}

func TestCalibrateMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(t, "calibrate", "--db", filepath.Join(dir, "none.duckdb"), "--out", filepath.Join(dir, "m.yaml"))
	if code != exitFailure || !strings.Contains(stderr, "does not exist") {
		t.Errorf("exit %d stderr %q, want 1 and 'does not exist'", code, stderr)
	}
}

func TestScoreUnknownFeature(t *testing.T) {
	db := makeDB(t, leads400)
	dir := t.TempDir()
	model := filepath.Join(dir, "current.yaml")
	if err := os.WriteFile(model, []byte("version: 1\nthreshold: 10\nactions:\n  page_view: 5\n  teleport: 20\nchannels: {web: 3, carrier_pigeon: 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "scores.csv")
	code, _, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", out)
	if code != exitFailure {
		t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
	}
	for _, want := range []string{"unknown feature", "action:teleport", "channel:carrier_pigeon", "the data has actions page_view"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	if strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "action:page_view,") {
		t.Errorf("stderr %q: want one line naming only the unknown features", stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written despite the error", out)
	}
}

func TestScoreHandWrittenModel(t *testing.T) {
	db := makeDB(t, leads400)
	dir := t.TempDir()
	model := filepath.Join(dir, "hand.yaml")
	// No intercept: probability stays empty. Scored as of the end of the
	// data (2024-06-01, L0's second view, which counts): lead L0 (web, two
	// page views capped at 1) scores 5 + 3 = 8 ≥ 8: MQL, 517 days old. L1
	// (referral, no view) scores 0, one hour younger. L3 (referral, a
	// view) scores 5. No lead has a stage or outcome: all are open.
	if err := os.WriteFile(model, []byte("version: 1\nthreshold: 8\nactions:\n  page_view: {points: 5, cap: 1}\nchannels: {web: 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "scores.csv")
	code, stdout, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	rows := readCSV(t, out)
	if len(rows) != 401 || strings.Join(rows[0], ",") != "lead_id,score,probability,mql,status,age_days,top_reasons" {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	want := map[string]string{
		"L0": "L0,8,,true,open,517.00,page_view +5; web +3",
		"L1": "L1,0,,false,open,516.96,",
		"L3": "L3,5,,false,open,516.88,page_view +5",
	}
	for _, r := range rows[1:] {
		if w, ok := want[r[0]]; ok && strings.Join(r, ",") != w {
			t.Errorf("row %q, want %q", strings.Join(r, ","), w)
		}
	}
	// MQLs: web leads (even i) with a view (i % 3 = 0): i % 6 = 0, 67 of 400.
	if !strings.Contains(stdout, "67 MQLs") {
		t.Errorf("stdout %q, want 67 MQLs", stdout)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestCalibrateAndScore runs the whole loop on generated data: calibrate
// writes a model, JSON and evidence; the model file parses back; scoring
// with it writes CSV and Parquet; a backtest of the model against itself
// changes no lead's side.
func TestCalibrateAndScore(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and calibrates 8000 leads")
	}
	db := generatedDB(t, 8000)
	dir := t.TempDir()
	model := filepath.Join(dir, "model.yaml")
	js := filepath.Join(dir, "calibration.json")
	html := filepath.Join(dir, "calibration.html")
	code, stdout, stderr := runCLI(t, "calibrate", "--db", db, "--out", model, "--json", js, "--evidence", html,
		"--attrs", "title,company_size,email_type", "--value", "5000", "--cost", "200")
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	for _, p := range []string{model, js, html} {
		if !strings.Contains(stdout, "wrote "+p) {
			t.Errorf("stdout %q does not name %s", stdout, p)
		}
	}
	f, err := os.Open(model)
	if err != nil {
		t.Fatal(err)
	}
	m, err := calibrate.ParseModel(f)
	f.Close()
	if err != nil {
		t.Fatalf("model.yaml does not parse back: %v", err)
	}
	if m.Intercept == nil || len(m.Actions) == 0 || m.Attributes["title"] == nil {
		t.Errorf("model lacks intercept, actions or title points: %+v\n%s", m, stdout)
	}
	var doc map[string]any
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"target", "intercept", "coefficients", "threshold", "metrics", "excluded_features", "warnings", "landmarks"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("calibration.json lacks %q", k)
		}
	}
	opts := doc["options"].(map[string]any)
	for _, k := range []string{"test_from", "test_to", "landmarks"} {
		if _, ok := opts[k]; !ok {
			t.Errorf("options lack %q", k)
		}
	}
	// The default landmarks up to 30 days, each with its test figures.
	if got := fmt.Sprint(opts["landmarks"]); got != "[1 3 7 14 30]" {
		t.Errorf("options.landmarks %s, want [1 3 7 14 30]", got)
	}
	byLandmark, _ := doc["metrics"].(map[string]any)["by_landmark"].([]any)
	if len(byLandmark) != 5 {
		t.Fatalf("metrics.by_landmark %v, want 5 landmarks", byLandmark)
	}
	for _, k := range []string{"days", "snapshots", "positives", "auc", "auc_ci_low", "auc_ci_high"} {
		if _, ok := byLandmark[0].(map[string]any)[k]; !ok {
			t.Errorf("by_landmark lacks %q", k)
		}
	}
	if _, ok := doc["threshold"].(map[string]any)["mqls_per_month"]; !ok {
		t.Errorf("threshold lacks mqls_per_month")
	}
	coef := doc["coefficients"].([]any)[0].(map[string]any)
	for _, k := range []string{"feature", "weight", "se", "ci_low", "ci_high", "p_value", "points"} {
		if _, ok := coef[k]; !ok {
			t.Errorf("coefficient lacks %q: %v", k, coef)
		}
	}
	for _, k := range []string{"auc_train", "auc_test", "brier", "log_loss", "n_train", "n_test"} {
		if _, ok := doc["metrics"].(map[string]any)[k]; !ok {
			t.Errorf("metrics lack %q", k)
		}
	}
	thr := doc["threshold"].(map[string]any)
	if int(thr["points"].(float64)) != m.Threshold {
		t.Errorf("JSON threshold %v, model file %d", thr["points"], m.Threshold)
	}

	// Score with the calibrated model, as CSV and as Parquet.
	out := filepath.Join(dir, "scores.csv")
	if code, _, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", out); code != exitOK {
		t.Fatalf("score exit %d; stderr %q", code, stderr)
	}
	rows := readCSV(t, out)
	if len(rows) != 8001 {
		t.Errorf("%d score rows, want 8000 + header", len(rows)-1)
	}
	for _, r := range rows[1:] {
		if r[2] == "" {
			t.Fatalf("row %q: a calibrated model has an intercept, so a probability", r)
		}
	}
	pq := filepath.Join(dir, "scores.parquet")
	if code, _, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", pq); code != exitOK {
		t.Fatalf("score parquet exit %d; stderr %q", code, stderr)
	}
	mem, err := queries.Open(context.Background(), ":memory:", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	var n, mqlsPQ, mqlsCSV int
	if err := mem.DB().QueryRowContext(context.Background(),
		`SELECT count(*), count(*) FILTER (WHERE mql) FROM read_parquet(?)`, pq).Scan(&n, &mqlsPQ); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		if r[3] == "true" {
			mqlsCSV++
		}
	}
	if n != 8000 || mqlsPQ != mqlsCSV {
		t.Errorf("parquet: %d rows, %d MQLs; csv: 8000 rows, %d MQLs", n, mqlsPQ, mqlsCSV)
	}

	// The model backtested against itself: nothing changes side.
	js2 := filepath.Join(dir, "self.json")
	code, _, stderr = runCLI(t, "calibrate", "--db", db, "--out", filepath.Join(dir, "m2.yaml"), "--json", js2,
		"--attrs", "title,company_size,email_type", "--value", "5000", "--cost", "200", "--current", model)
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	var res calibrate.Result
	b, _ = os.ReadFile(js2)
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	bt := res.Backtest
	if bt == nil {
		t.Fatal("no backtest in calibration.json")
	}
	if bt.Changed.NewMQLs != 0 || bt.Changed.DroppedMQLs != 0 || bt.Current != bt.Proposed {
		t.Errorf("a model against itself: changed %+v, current %+v, proposed %+v", bt.Changed, bt.Current, bt.Proposed)
	}
	if bt.Current.MQLs == 0 || len(bt.Months) == 0 {
		t.Errorf("backtest has no MQLs or months: %+v", bt)
	}
}

// TestCalibrateWithoutEvents calibrates channels alone: no events, so the
// half-life search has nothing to search and reports no decay. Wins close
// on 2023-03-01 (within 180 days), losses on 2024-06-01 (the end of the
// data, so every window has closed). Of 400
// leads, referral (odd i) wins when i % 4 = 1 (1 in 2), web (even i) when
// i % 10 = 0 (1 in 5): the referral weight is logit(1/2) − logit(1/5) =
// 0 − ln(1/4) = ln 4 = 1.386 on all leads; on the training part (the first
// 70%, i < 280) the same rates hold (140 referral leads, 70 winners; 140
// web leads, 28 winners), so the fit is exactly ln 4.
func TestCalibrateWithoutEvents(t *testing.T) {
	db := makeDB(t, `INSERT INTO leads
SELECT 'L' || i, TIMESTAMP '2023-01-01' + to_hours(i), CASE WHEN i % 2 = 0 THEN 'web' ELSE 'referral' END
FROM range(400) t(i)`, `INSERT INTO outcomes
SELECT 'L' || i, CASE WHEN i % 4 = 1 OR i % 10 = 0 THEN TIMESTAMP '2023-03-01' ELSE TIMESTAMP '2024-06-01' END,
       CASE WHEN i % 4 = 1 OR i % 10 = 0 THEN 'won' ELSE 'lost' END, NULL
FROM range(400) t(i)`)
	dir := t.TempDir()
	js := filepath.Join(dir, "c.json")
	code, _, stderr := runCLI(t, "calibrate", "--db", db, "--out", filepath.Join(dir, "m.yaml"), "--json", js)
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	var res calibrate.Result
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Options.HalfLifeMode != "none" || res.Options.HalfLifeDays != 0 || len(res.HalfLifeCurve) != 0 {
		t.Errorf("half-life mode %q days %v curve %v, want none", res.Options.HalfLifeMode, res.Options.HalfLifeDays, res.HalfLifeCurve)
	}
	if len(res.Coefficients) != 1 || res.Coefficients[0].Feature != "channel:web" && res.Coefficients[0].Feature != "channel:referral" {
		t.Fatalf("coefficients %+v, want one channel", res.Coefficients)
	}
	c := res.Coefficients[0]
	want := 1.3862943611198906 // ln 4
	if c.Feature == "channel:web" {
		want = -want
	}
	if diff := c.Weight - want; diff > 1e-6 || diff < -1e-6 {
		t.Errorf("%s weight %.9f, want %.9f", c.Feature, c.Weight, want)
	}
}

// TestScoreAsOf scores the leads as of 2023-01-10: only the 217 leads created
// by then (hourly from 2023-01-01 00:00: L0 … L216), with events before that
// moment. L0 entered SAL on 01-05, so it is with sales and no MQL although
// it scores 5 + 3 = 8 (its 2024 page view is after the moment and not
// counted). L6 (web, a view on 01-02) is open and an MQL at 8 points, 8.75
// days old.
func TestScoreAsOf(t *testing.T) {
	db := makeDB(t, leads400, `INSERT INTO stages VALUES ('L0', 'sal', '2023-01-05')`)
	dir := t.TempDir()
	model := filepath.Join(dir, "hand.yaml")
	if err := os.WriteFile(model, []byte("version: 1\nthreshold: 8\nactions:\n  page_view: {points: 5}\nchannels: {web: 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "scores.csv")
	code, stdout, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", out, "--as-of", "2023-01-10")
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	rows := readCSV(t, out)
	if len(rows) != 1+217 {
		t.Fatalf("%d leads scored, want 217", len(rows)-1)
	}
	want := map[string]string{
		"L0": "L0,8,,false,with_sales,9.00,page_view +5; web +3",
		"L6": "L6,8,,true,open,8.75,page_view +5; web +3",
	}
	for _, r := range rows[1:] {
		if w, ok := want[r[0]]; ok && strings.Join(r, ",") != w {
			t.Errorf("row %q, want %q", strings.Join(r, ","), w)
		}
	}
	// MQLs: web leads with a view before 01-10 (i % 6 = 0, created by hour
	// 191 so the view a day later is before the moment: 0, 6, …, 186 = 32),
	// less L0 with sales: 31.
	if !strings.Contains(stdout, "31 MQLs") {
		t.Errorf("stdout %q, want 31 MQLs", stdout)
	}
	if code, _, stderr := runCLI(t, "score", "--db", db, "--model", model, "--out", out, "--as-of", "soon"); code != exitUsage || !strings.Contains(stderr, "--as-of") {
		t.Errorf("--as-of soon: exit %d, stderr %q; want a usage error naming the flag", code, stderr)
	}
}
