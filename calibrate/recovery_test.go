package calibrate

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/funnel-dev/funnel/internal/gen"
	"github.com/funnel-dev/funnel/internal/gen/oracle"
	"github.com/funnel-dev/funnel/queries"
)

// These tests check calibrate against data whose truth is stated in a
// user's terms (what a lead was and did in its first week: internal/gen)
// and computed from the files by an independent reader (internal/gen/oracle),
// never through the engine's own feature SQL. The data has the traps of
// real funnels: winners handed to sales sooner, null actions going on all
// life, a buying burst after acceptance and a column sales fills in for
// winners.

// recoveryAttrs are the profile columns of the recovery fits.
var recoveryAttrs = []string{"title", "company_size", "email_type", "industry", "country"}

// loadGenerated generates a data set with internal/gen, loads it into a
// fresh store and reads it back with the oracle.
func loadGenerated(t testing.TB, leads int, seed uint64) (*queries.Store, *oracle.Dataset) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := gen.Generate(ctx, gen.Config{Leads: leads, Months: 24, Seed: seed,
		End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, dir); err != nil {
		t.Fatal(err)
	}
	st := openStore(t, "")
	if _, err := st.Load(ctx, queries.LoadRequest{
		Leads: filepath.Join(dir, gen.LeadsFile), Events: filepath.Join(dir, gen.EventsFile),
		Stages: filepath.Join(dir, gen.StagesFile), Outcomes: filepath.Join(dir, gen.OutcomesFile),
	}); err != nil {
		t.Fatal(err)
	}
	ds, err := oracle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st, ds
}

// truthAUCWithin is the planted model's AUC on the run's test snapshots,
// pairs compared within a landmark only, as metrics.auc_test is: the true
// log-odds of each snapshot's lead from the oracle, the labels from the
// oracle too (a mismatch with the engine's labels is an error).
func truthAUCWithin(t *testing.T, ds *oracle.Dataset, rs *runState) (float64, map[int8]float64) {
	t.Helper()
	byLandmark := map[int8][2][]float64{}
	for _, i := range rs.test {
		ol := ds.Lead(rs.leads.IDs[i])
		if ol == nil {
			t.Fatalf("lead %s unknown to the oracle", rs.leads.IDs[i])
		}
		y := 0.0
		if ds.Label(ol) {
			y = 1
		}
		if y != rs.leads.Label[i] {
			t.Fatalf("lead %s: engine label %v, oracle %v", ol.ID, rs.leads.Label[i], y)
		}
		k := rs.leads.Landmark[i]
		v := byLandmark[k]
		v[0] = append(v[0], ds.TrueLogit(ol))
		v[1] = append(v[1], y)
		byLandmark[k] = v
	}
	per := map[int8]float64{}
	num, den := 0.0, 0.0
	for k, v := range byLandmark {
		pos := float64(countPositive(v[1]))
		w := pos * (float64(len(v[1])) - pos)
		if w == 0 {
			continue
		}
		labels := make([]bool, len(v[1]))
		for r, y := range v[1] {
			labels[r] = y == 1
		}
		per[k] = oracle.AUC(v[0], labels)
		num += w * per[k]
		den += w
	}
	return num / den, per
}

// weightMisses lists the coefficients more than maxSE standard errors from
// their planted values (0 for a feature the truth does not list).
func weightMisses(coefs []Coefficient, planted map[string]float64, maxSE float64) []string {
	var out []string
	for _, c := range coefs {
		if z := math.Abs(c.Weight-planted[c.Feature]) / c.SE; z > maxSE {
			out = append(out, fmt.Sprintf("%s: fitted %.3f ± %.3f, planted %.3f (%.1f SE)", c.Feature, c.Weight, c.SE, planted[c.Feature], z))
		}
	}
	sort.Strings(out)
	return out
}

// TestLandmarkRecoversPlantedModel fits one landmark at the planted age
// (7 days) with the planted half-life: the truth's own snapshot, so every
// weight must be within 4 standard errors of its planted value (null
// actions of 0), and the test AUC within 0.03 of the truth's on the same
// snapshots. Stage timing depends on the outcome only, so the leads still
// with marketing at day 7 keep the slopes (only the intercept moves).
func TestLandmarkRecoversPlantedModel(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and fits 30k leads")
	}
	ctx := context.Background()
	st, ds := loadGenerated(t, 30000, 11)
	res, _, rs, err := run(ctx, st, Options{
		Landmarks: []float64{ds.Truth.PlantedAgeDays}, HalfLife: HalfLife{Days: ds.Truth.HalfLifeDays},
		Cap: -1, Attributes: recoveryAttrs, Keep: []string{"attr:title", "channel"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Options.Covariance != string(CovModel) || len(res.Landmarks) != 1 {
		t.Errorf("one landmark: covariance %q, %d landmarks; want the model covariance and 1", res.Options.Covariance, len(res.Landmarks))
	}
	for _, m := range weightMisses(res.Coefficients, ds.Truth.Weights, 4) {
		t.Errorf("weight off: %s", m)
	}
	fitted := map[string]bool{}
	for _, c := range res.Coefficients {
		fitted[c.Feature] = true
	}
	for name := range ds.Truth.Weights {
		if !fitted[name] {
			t.Errorf("planted feature %s was not fitted", name)
		}
	}
	truthAUC, _ := truthAUCWithin(t, ds, rs)
	t.Logf("test AUC %.4f [%.4f, %.4f], planted model %.4f on the same %d snapshots", res.Metrics.AUCTest,
		res.Metrics.AUCTestCILow, res.Metrics.AUCTestCIHigh, truthAUC, len(rs.test))
	if math.Abs(res.Metrics.AUCTest-truthAUC) > 0.03 {
		t.Errorf("test AUC %.4f, planted model's %.4f: differ by more than 0.03", res.Metrics.AUCTest, truthAUC)
	}
}

// TestDefaultsNoBetterThanTruth runs calibrate as a user would (default
// landmarks, searched half-life) with the sales-filled column offered as an
// attribute. A score better than the truth can only come from leakage: the
// test AUC may not exceed the planted model's on the same snapshots by more
// than its confidence interval; null actions show no effect; the
// sales-filled column is left out as a possible leak.
func TestDefaultsNoBetterThanTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and fits 30k leads")
	}
	ctx := context.Background()
	st, ds := loadGenerated(t, 30000, 12)
	attrs := append(append([]string{}, recoveryAttrs...), ds.Truth.SalesFilledColumns...)
	res, _, rs, err := run(ctx, st, Options{HalfLife: HalfLife{Auto: true}, Attributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	truthAUC, per := truthAUCWithin(t, ds, rs)
	t.Logf("landmarks %v, half-life %g: test AUC %.4f [%.4f, %.4f], planted model %.4f (by landmark %v)",
		res.Options.Landmarks, res.Options.HalfLifeDays, res.Metrics.AUCTest, res.Metrics.AUCTestCILow,
		res.Metrics.AUCTestCIHigh, truthAUC, per)
	if res.Metrics.AUCTestCILow > truthAUC {
		t.Errorf("test AUC %.4f (CI from %.4f) above the planted model's %.4f: leakage", res.Metrics.AUCTest, res.Metrics.AUCTestCILow, truthAUC)
	}
	for _, a := range ds.Truth.NullActions {
		for _, c := range res.Coefficients {
			if c.Feature == "action:"+a && math.Abs(c.Weight) > 4*c.SE {
				t.Errorf("null action %s: weight %.3f ± %.3f, %.1f SE from 0", a, c.Weight, c.SE, math.Abs(c.Weight)/c.SE)
			}
		}
	}
	for _, col := range ds.Truth.SalesFilledColumns {
		found := false
		for _, x := range res.ExcludedFeatures {
			found = found || (x.Feature == "attr:"+col && x.Reason == "possible_leak")
		}
		if !found {
			t.Errorf("sales-filled column %s not excluded as a possible leak: excluded %+v", col, res.ExcludedFeatures)
		}
	}
	if res.Options.Covariance != string(CovCluster) {
		t.Errorf("covariance %q with several landmarks, want %q", res.Options.Covariance, CovCluster)
	}
}

// TestOldWindowFailsTheChecks is the negative control of the two tests
// above: the same checks applied to a fit on the old, outcome-dependent
// window (counts before min(created + 30 d, first sales stage), read by the
// oracle) must fail, or they could not catch a leaky window.
func TestOldWindowFailsTheChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 30k leads")
	}
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := gen.Generate(ctx, gen.Config{Leads: 30000, Months: 24, Seed: 12,
		End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, dir); err != nil {
		t.Fatal(err)
	}
	ds, err := oracle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	windows := ds.OldCutoffCounts(30, ds.Truth.SalesStages)
	actions := map[string]bool{}
	for _, w := range windows {
		for a := range w.Counts {
			actions[a] = true
		}
	}
	var names []string
	for a := range actions {
		names = append(names, a)
	}
	sort.Strings(names)
	var rows []float64
	var y, truth []float64
	var labels []bool
	for _, w := range windows {
		if !w.Mature {
			continue
		}
		for _, a := range names {
			rows = append(rows, math.Min(float64(w.Counts[a]), 10))
		}
		v := 0.0
		if w.Label {
			v = 1
		}
		y = append(y, v)
		labels = append(labels, w.Label)
		truth = append(truth, ds.TrueLogit(ds.Lead(w.LeadID)))
	}
	cols := make([]string, len(names))
	for j, a := range names {
		cols[j] = "action:" + a
	}
	fit, err := FitLogit(ctx, Data{Names: cols, X: mat.NewDense(len(y), len(names), rows), Y: y}, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var coefs []Coefficient
	for j, c := range cols {
		coefs = append(coefs, Coefficient{Feature: c, Weight: fit.Coef[j], SE: fit.SE[j+1]})
	}
	var nullMisses []string
	for _, m := range weightMisses(coefs, ds.Truth.Weights, 4) {
		for _, a := range ds.Truth.NullActions {
			if strings.HasPrefix(m, "action:"+a+":") {
				nullMisses = append(nullMisses, m)
			}
		}
	}
	t.Logf("old window: null actions %v", nullMisses)
	if len(nullMisses) == 0 {
		t.Errorf("the old window shows no effect of the null actions: the checks could not catch it")
	}
	aucOld := oracle.AUC(fit.PredictAll(mat.NewDense(len(y), len(names), rows)), labels)
	aucTruth := oracle.AUC(truth, labels)
	t.Logf("old window AUC %.4f (actions only), planted model %.4f", aucOld, aucTruth)
}
