package calibrate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestMetricsHand checks the metrics on tiny inputs computed by hand.
func TestMetricsHand(t *testing.T) {
	p := []float64{0.1, 0.4, 0.35, 0.8}
	y := []float64{0, 0, 1, 1}
	tests := []struct {
		name      string
		got, want float64
	}{
		// Pairs (pos, neg): (.35,.1) ✓ (.35,.4) ✗ (.8,.1) ✓ (.8,.4) ✓ → 3/4.
		{"auc", AUC(p, y, nil), 0.75},
		// Ties: positive .5 against negatives .5 and .5 → ½+½; positive .9 beats both → 3/4.
		{"auc ties", AUC([]float64{.5, .5, .5, .9}, []float64{0, 1, 0, 1}, nil), 0.75},
		// Weight 2 on the first negative equals listing it twice: pairs 2·2+... →
		// (.35 beats .1 ×2) + (.8 beats .1 ×2, .4) = 2 + 3 = 5 of 2·3 = 6.
		{"auc weighted", AUC(p, y, []float64{2, 1, 1, 1}), 5.0 / 6},
		{"auc expanded", AUC([]float64{0.1, 0.1, 0.4, 0.35, 0.8}, []float64{0, 0, 0, 1, 1}, nil), 5.0 / 6},
		// (.01 + .16 + .4225 + .04)/4
		{"brier", Brier(p, y, nil), 0.6325 / 4},
		// −(ln .9 + ln .6 + ln .35 + ln .8)/4 = (0.1053605 + 0.5108256 + 1.0498221 + 0.2231436)/4
		{"log loss", LogLoss(p, y, nil), 1.8891518 / 4},
		// Clipped at 1e−15: −ln(1e−15) = 15·ln 10 = 34.53877639, averaged with a perfect row.
		{"log loss clipped", LogLoss([]float64{0, 1}, []float64{1, 1}, nil), 34.53877639 / 2},
		{"auc one class", AUC(p, []float64{1, 1, 1, 1}, nil), math.NaN()},
		{"auc lengths", AUC(p, y[:3], nil), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if math.IsNaN(tt.want) != math.IsNaN(tt.got) || (!math.IsNaN(tt.want) && math.Abs(tt.got-tt.want) > 1e-7) {
				t.Errorf("got %.10g, want %.10g", tt.got, tt.want)
			}
		})
	}
}

// TestMetricsMatchReference compares AUC (pair count and Mann–Whitney),
// the DeLong standard error, Brier score and log loss with the values of
// testdata/reference/logit_reference.py on the statsmodels fitted probabilities.
func TestMetricsMatchReference(t *testing.T) {
	for _, name := range []string{"small", "counts", "weighted"} {
		t.Run(name, func(t *testing.T) {
			d, ref := loadReference(t, name)
			fit, err := FitLogit(context.Background(), d, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			p := fit.PredictAll(d.X)
			auc := AUC(p, d.Y, d.W)
			if math.Abs(auc-ref.Metrics.AUC) > 1e-9 || math.Abs(auc-ref.Metrics.AUCMW) > 1e-9 {
				t.Errorf("AUC = %.12g, reference %.12g (Mann–Whitney %.12g)", auc, ref.Metrics.AUC, ref.Metrics.AUCMW)
			}
			lo, hi := AUCConfidence(p, d.Y, d.W, 0.95)
			const z975 = 1.959963984540054
			if math.Abs(lo-(ref.Metrics.AUC-z975*ref.Metrics.AUCDeLongSE)) > 1e-9 || math.Abs(hi-(ref.Metrics.AUC+z975*ref.Metrics.AUCDeLongSE)) > 1e-9 {
				t.Errorf("CI = [%.10g, %.10g], reference AUC %.10g ± 1.96·%.10g", lo, hi, ref.Metrics.AUC, ref.Metrics.AUCDeLongSE)
			}
			// Probabilities differ from statsmodels' by < 1e−6 relative.
			if b := Brier(p, d.Y, d.W); math.Abs(b-ref.Metrics.Brier) > 1e-7 {
				t.Errorf("Brier = %.10g, reference %.10g", b, ref.Metrics.Brier)
			}
			if l := LogLoss(p, d.Y, d.W); math.Abs(l-ref.Metrics.LogLoss) > 1e-7 {
				t.Errorf("log loss = %.10g, reference %.10g", l, ref.Metrics.LogLoss)
			}
		})
	}
}

// TestCalibrationCurve uses 10 rows in pairs of equal predictions.
func TestCalibrationCurve(t *testing.T) {
	p := []float64{.1, .1, .2, .2, .3, .3, .4, .4, .5, .5}
	y := []float64{0, 0, 0, 1, 0, 1, 1, 0, 1, 1}
	want := []CalibrationBin{
		{Lo: .1, Hi: .1, MeanPredicted: .1, Observed: 0, Count: 2},
		{Lo: .2, Hi: .2, MeanPredicted: .2, Observed: .5, Count: 2},
		{Lo: .3, Hi: .3, MeanPredicted: .3, Observed: .5, Count: 2},
		{Lo: .4, Hi: .4, MeanPredicted: .4, Observed: .5, Count: 2},
		{Lo: .5, Hi: .5, MeanPredicted: .5, Observed: 1, Count: 2},
	}
	// Five bins of two; ten bins cannot split ties, so also five.
	for _, bins := range []int{5, 10} {
		got := CalibrationCurve(p, y, nil, bins)
		if len(got) != len(want) {
			t.Fatalf("bins %d: got %d bins %+v, want %d", bins, len(got), got, len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if math.Abs(g.MeanPredicted-w.MeanPredicted) > 1e-12 || g.Observed != w.Observed || g.Count != w.Count || g.Lo != w.Lo || g.Hi != w.Hi {
				t.Errorf("bins %d, bin %d = %+v, want %+v", bins, i, g, w)
			}
		}
	}
	// Two bins: rows 1–4 then a new value (.3) at cumulative weight 4 < 5, so the
	// first bin takes .1,.1,.2,.2,.3,.3 (6 rows, mean .2, observed 2/6) and the
	// second .4,.4,.5,.5 (mean .45, observed 3/4).
	got := CalibrationCurve(p, y, nil, 2)
	if len(got) != 2 || got[0].Count != 6 || math.Abs(got[0].MeanPredicted-.2) > 1e-12 || math.Abs(got[0].Observed-2.0/6) > 1e-12 ||
		got[1].Count != 4 || math.Abs(got[1].MeanPredicted-.45) > 1e-12 || got[1].Observed != .75 {
		t.Errorf("two bins = %+v", got)
	}
}

// TestGains checks the cumulative gains on ten ranked leads with 4 positives.
func TestGains(t *testing.T) {
	p := []float64{.9, .8, .7, .6, .5, .4, .3, .2, .1, .05}
	y := []float64{1, 1, 0, 1, 0, 0, 1, 0, 0, 0}
	// top 2: 2/4 → lift .5/.2 = 2.5; top 4: 3/4 → 1.875; top 6: 3/4 → 1.25; top 8: 4/4 → 1.25; all: 1.
	want := []GainsRow{{.2, .5, 2.5}, {.4, .75, 1.875}, {.6, .75, 1.25}, {.8, 1, 1.25}, {1, 1, 1}}
	got := Gains(p, y, nil, 5)
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if math.Abs(got[i].Fraction-want[i].Fraction) > 1e-12 || math.Abs(got[i].CapturedShare-want[i].CapturedShare) > 1e-12 || math.Abs(got[i].Lift-want[i].Lift) > 1e-12 {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// All tied: half the leads capture half the single positive in expectation.
	tied := Gains([]float64{.5, .5, .5, .5}, []float64{1, 0, 0, 0}, nil, 2)
	if len(tied) != 2 || tied[0].CapturedShare != .5 || tied[0].Lift != 1 {
		t.Errorf("tied = %+v", tied)
	}
}

// TestROCCurve checks the ROC points of the four-row example.
func TestROCCurve(t *testing.T) {
	fpr, tpr, th := ROCCurve([]float64{0.1, 0.4, 0.35, 0.8}, []float64{0, 0, 1, 1}, nil, 0)
	wantF := []float64{0, 0, .5, .5, 1}
	wantT := []float64{0, .5, .5, 1, 1}
	wantTh := []float64{math.Inf(1), .8, .4, .35, .1}
	for i := range wantF {
		if fpr[i] != wantF[i] || tpr[i] != wantT[i] || th[i] != wantTh[i] {
			t.Fatalf("ROC = %v %v %v, want %v %v %v", fpr, tpr, th, wantF, wantT, wantTh)
		}
	}
	if f, _, _ := ROCCurve([]float64{0.1, 0.4, 0.35, 0.8}, []float64{0, 0, 1, 1}, nil, 3); len(f) != 3 || f[0] != 0 || f[2] != 1 {
		t.Errorf("thinned = %v", f)
	}
}

// BenchmarkAUC measures AUC and its DeLong interval (both sort the rows).
func BenchmarkAUC(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("N=%.0e", float64(n)), func(b *testing.B) {
			d := syntheticData(n, 4, 9)
			p := make([]float64, n)
			for i := range p {
				p[i] = sigmoid(d.X.At(i, 0) - d.X.At(i, 1) + 0.3*d.X.At(i, 3))
			}
			for b.Loop() {
				AUC(p, d.Y, nil)
				AUCConfidence(p, d.Y, nil, 0.95)
			}
		})
	}
}

func TestFewTieGroupsEqualsSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	for _, distinct := range []int{1, 2, 13, 900, 4 * maxFewValues} {
		n := 20000
		p, y, w := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range p {
			p[i] = float64(rng.IntN(distinct)) / 7
			if rng.Float64() < 0.3 {
				y[i] = 1
			}
			w[i] = float64(1 + rng.IntN(4))
		}
		seen := map[float64]bool{}
		for _, v := range p {
			seen[v] = true
		}
		few, ok := fewTieGroups(p, y, w)
		if wantOK := len(seen) <= maxFewValues; ok != wantOK {
			t.Fatalf("%d values: fewTieGroups ok = %v, want %v", len(seen), ok, wantOK)
		}
		if !ok {
			continue
		}
		if sorted := sortedTieGroups(p, y, w); !reflect.DeepEqual(few, sorted) {
			t.Errorf("%d values: tallied groups %v differ from sorted %v", distinct, few, sorted)
		}
	}
	if _, ok := fewTieGroups([]float64{0.1, math.NaN()}, []float64{1, 0}, nil); ok {
		t.Error("a NaN must send the rows to the sorting path")
	}
}

// TestUnweightedTieGroupsMatchWeighted checks the float64 sort behind the
// unweighted tie groups against the row sort with every weight 1, and its
// AUC against counting the pairs, on values with many ties.
func TestUnweightedTieGroupsMatchWeighted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	// 3000 distinct values of 5000 are more than fewTieGroups tallies, so
	// AUC itself takes the sort.
	for _, c := range []struct{ n, values int }{{1, 40}, {2, 40}, {17, 40}, {5000, 40}, {5000, 3000}} {
		n := c.n
		p, y, ones := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range p {
			p[i] = float64(rng.IntN(c.values)) / 8 // many ties
			if rng.Float64() < 0.3 {
				y[i] = 1
			}
			ones[i] = 1
		}
		got, want := unweightedTieGroups(p, y), sortedTieGroups(p, y, ones)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: tie groups %v, want %v", n, got[:min(len(got), 5)], want[:min(len(want), 5)])
		}
		var pairs, wins float64
		for i := range p {
			for j := range p {
				if y[i] == 1 && y[j] == 0 {
					pairs++
					switch {
					case p[i] > p[j]:
						wins++
					case p[i] == p[j]:
						wins += 0.5
					}
				}
			}
		}
		if auc := AUC(p, y, nil); pairs > 0 && math.Abs(auc-wins/pairs) > 1e-9 {
			t.Errorf("n=%d: AUC %v, pairs say %v", n, auc, wins/pairs)
		}
	}
}
