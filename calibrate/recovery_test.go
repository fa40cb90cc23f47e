package calibrate

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/internal/gen"
	"github.com/funnel-dev/funnel/queries"
)

// loadGenerated generates a data set with internal/gen and loads it into a
// fresh store.
func loadGenerated(t testing.TB, leads int, seed uint64) (*queries.Store, *gen.Truth) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sum, err := gen.Generate(ctx, gen.Config{Leads: leads, Months: 24, Seed: seed,
		End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, dir)
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, "")
	if _, err := st.Load(ctx, queries.LoadRequest{
		Leads: filepath.Join(dir, gen.LeadsFile), Events: filepath.Join(dir, gen.EventsFile),
		Stages: filepath.Join(dir, gen.StagesFile), Outcomes: filepath.Join(dir, gen.OutcomesFile),
	}); err != nil {
		t.Fatal(err)
	}
	return st, sum.Truth
}

// TestRecoversPlantedModel fits generated data whose true model is known
// (truth.yaml: logit = intercept + channel + attributes + Σ weight × decayed
// action count, half-life 14 days) and checks the three promises of issue 4:
// the planted weights lie in their 95% confidence intervals at about the
// nominal rate, the fitted half-life is near the planted one, and the test
// AUC is within 0.02 of the AUC of the true model on the same test leads.
// Actions are uncapped (Cap < 0) because the true model is.
func TestRecoversPlantedModel(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and fits 30k leads")
	}
	ctx := context.Background()
	st, truth := loadGenerated(t, 30000, 11)
	res, _, rs, err := run(ctx, st, Options{
		HalfLife:   HalfLife{Auto: true},
		Cap:        -1,
		Attributes: []string{"title", "company_size", "email_type", "industry", "country"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("train %d, test %d, immature %d, half-life %g, AUC test %.4f [%.4f, %.4f]",
		res.Metrics.NTrain, res.Metrics.NTest, res.ExcludedImmature, res.Options.HalfLifeDays,
		res.Metrics.AUCTest, res.Metrics.AUCTestCILow, res.Metrics.AUCTestCIHigh)
	for _, w := range res.Warnings {
		t.Logf("warning: %s", w)
	}

	// 1. Coverage. Features without a planted weight (industry, country,
	// baseline-free levels) have true weight 0. With k features the number
	// of misses is Binomial(k, 0.05); requiring ≥ 90% coverage fails by
	// chance with probability about 2% for k ≈ 45.
	covered := 0
	for _, c := range res.Coefficients {
		want := truth.Weights[c.Feature]
		ok := c.CILow <= want && want <= c.CIHigh
		if ok {
			covered++
		}
		t.Logf("%-36s planted %+6.3f fitted %+6.3f [%+6.3f, %+6.3f] %v", c.Feature, want, c.Weight, c.CILow, c.CIHigh, ok)
	}
	if share := float64(covered) / float64(len(res.Coefficients)); share < 0.9 {
		t.Errorf("%d of %d planted weights within their 95%% CI (%.0f%%), want ≥ 90%%", covered, len(res.Coefficients), 100*share)
	}
	for name := range truth.Weights {
		found := false
		for _, c := range res.Coefficients {
			found = found || c.Feature == name
		}
		if !found {
			t.Errorf("planted feature %s was not fitted", name)
		}
	}
	if b := res.Baselines["channel"]; b != truth.BaselineChannel {
		t.Errorf("baseline channel %q, want %q", b, truth.BaselineChannel)
	}

	// 2. Half-life within one grid step of the planted one (grid 7, 14, 21).
	if h := res.Options.HalfLifeDays; h < 7 || h > 21 {
		t.Errorf("fitted half-life %g days, want 14 ± one grid step", h)
	}

	// 3. AUC of the true model on the same test leads, from truth.yaml and
	// the decayed sums at the planted half-life.
	av, err := loadActions(ctx, st, rs.params, rs.leads, truth.HalfLifeDays, nil, rs.leads.Len())
	if err != nil {
		t.Fatal(err)
	}
	l := rs.leads
	pTrue := make([]float64, len(rs.test))
	for k, i := range rs.test {
		f := gen.Features{Channel: l.Channels[l.Channel[i]], Attributes: map[string]string{}, Actions: map[string]float64{}}
		for a, col := range l.Attributes {
			f.Attributes[col] = l.AttrValues[a][i]
		}
		for a, name := range av.Actions {
			f.Actions[name] = av.values(a, truth.HalfLifeDays)[i]
		}
		pTrue[k] = truth.WinProbability(f)
	}
	aucTrue := AUC(pTrue, labels(l, rs.test), nil)
	t.Logf("true model AUC on the test leads %.4f, fitted %.4f", aucTrue, res.Metrics.AUCTest)
	if math.Abs(res.Metrics.AUCTest-aucTrue) > 0.02 {
		t.Errorf("test AUC %.4f, true model's %.4f: differ by more than 0.02", res.Metrics.AUCTest, aucTrue)
	}
}
