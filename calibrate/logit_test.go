package calibrate

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// reference is one statsmodels fit written by testdata/reference/logit_reference.py.
type reference struct {
	Dataset  string            `json:"dataset"`
	Versions map[string]string `json:"versions"`
	Fit      struct {
		Names   []string  `json:"names"`
		Params  []float64 `json:"params"`
		BSE     []float64 `json:"bse"`
		PValues []float64 `json:"pvalues"`
		CILow   []float64 `json:"conf_int_low"`
		CIHigh  []float64 `json:"conf_int_high"`
		LLF     float64   `json:"llf"`
		LLNull  float64   `json:"llnull"`
	} `json:"fit"`
	Metrics struct {
		AUC         float64 `json:"auc"`
		AUCMW       float64 `json:"auc_mannwhitney"`
		AUCDeLongSE float64 `json:"auc_delong_se"`
		Brier       float64 `json:"brier"`
		LogLoss     float64 `json:"log_loss"`
	} `json:"metrics"`
}

// loadReference reads testdata/reference/<name>.csv and .json.
func loadReference(t *testing.T, name string) (Data, reference) {
	t.Helper()
	dir := filepath.Join("..", "testdata", "reference")
	recs := referenceRecords(t, name+".csv")
	header := recs[0]
	var xcols []int
	ycol, wcol := -1, -1
	var d Data
	for j, h := range header {
		switch {
		case h == "y":
			ycol = j
		case h == "w":
			wcol = j
		case strings.HasPrefix(h, "x"):
			xcols = append(xcols, j)
			d.Names = append(d.Names, h)
		}
	}
	n := len(recs) - 1
	d.X = mat.NewDense(n, len(xcols), nil)
	d.Y = make([]float64, n)
	if wcol >= 0 {
		d.W = make([]float64, n)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i, rec := range recs[1:] {
		for j, c := range xcols {
			d.X.Set(i, j, num(rec[c]))
		}
		d.Y[i] = num(rec[ycol])
		if wcol >= 0 {
			d.W[i] = num(rec[wcol])
		}
	}
	var ref reference
	b, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return d, ref
}

// near reports whether got is within tol of want, relative when |want| > 1.
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// TestFitLogitMatchesStatsmodels compares with statsmodels 0.13.5 Logit
// (method newton, tol 1e-12) on the datasets made by
// testdata/reference/logit_reference.py; tolerance 1e-6, relative above 1.
func TestFitLogitMatchesStatsmodels(t *testing.T) {
	for _, name := range []string{"small", "counts", "weighted"} {
		t.Run(name, func(t *testing.T) {
			d, ref := loadReference(t, name)
			fit, err := FitLogit(context.Background(), d, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			const tol = 1e-6
			for j := range ref.Fit.Params {
				b, _ := fit.param(j)
				if !near(b, ref.Fit.Params[j], tol) {
					t.Errorf("%s: param = %.10g, statsmodels %.10g", ref.Fit.Names[j], b, ref.Fit.Params[j])
				}
				if !near(fit.SE[j], ref.Fit.BSE[j], tol) {
					t.Errorf("%s: SE = %.10g, statsmodels %.10g", ref.Fit.Names[j], fit.SE[j], ref.Fit.BSE[j])
				}
				// p-values can be tiny: compare relative to the value.
				if pv := fit.PValue(j); math.Abs(pv-ref.Fit.PValues[j]) > tol*math.Max(ref.Fit.PValues[j], 1e-300)*10 && math.Abs(pv-ref.Fit.PValues[j]) > 1e-12 {
					t.Errorf("%s: p = %.10g, statsmodels %.10g", ref.Fit.Names[j], pv, ref.Fit.PValues[j])
				}
				lo, hi := fit.CI(j, 0.95)
				if !near(lo, ref.Fit.CILow[j], tol) || !near(hi, ref.Fit.CIHigh[j], tol) {
					t.Errorf("%s: CI = [%.10g, %.10g], statsmodels [%.10g, %.10g]", ref.Fit.Names[j], lo, hi, ref.Fit.CILow[j], ref.Fit.CIHigh[j])
				}
			}
			if !near(fit.LogLik, ref.Fit.LLF, tol) || !near(fit.LogLikNull, ref.Fit.LLNull, tol) {
				t.Errorf("loglik = %.10g / null %.10g, statsmodels %.10g / %.10g", fit.LogLik, fit.LogLikNull, ref.Fit.LLF, ref.Fit.LLNull)
			}
			if !fit.Converged || fit.Iterations < 2 || fit.Iterations > 20 {
				t.Errorf("converged = %v after %d steps", fit.Converged, fit.Iterations)
			}
		})
	}
}

// TestFitLogitWeightsEqualExpandedRows fits the weighted unique rows and the
// same rows repeated W times; the fits must agree.
func TestFitLogitWeightsEqualExpandedRows(t *testing.T) {
	d, _ := loadReference(t, "weighted")
	n, p := d.X.Dims()
	var rows []float64
	var y []float64
	for i := 0; i < n; i++ {
		for r := 0; r < int(d.W[i]); r++ {
			rows = append(rows, d.X.RawRowView(i)...)
			y = append(y, d.Y[i])
		}
	}
	exp := Data{Names: d.Names, X: mat.NewDense(len(y), p, rows), Y: y}
	a, err := FitLogit(context.Background(), d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitLogit(context.Background(), exp, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.N != b.N || a.N != float64(len(y)) {
		t.Errorf("N = %v and %v, want %d", a.N, b.N, len(y))
	}
	for j := 0; j <= p; j++ {
		pa, _ := a.param(j)
		pb, _ := b.param(j)
		if !near(pa, pb, 1e-9) || !near(a.SE[j], b.SE[j], 1e-9) {
			t.Errorf("param %d: weighted %.12g ± %.12g, expanded %.12g ± %.12g", j, pa, a.SE[j], pb, b.SE[j])
		}
	}
}

// TestFitLogitTwoByTwo checks a binary feature against the closed form of a
// 2×2 table. Without the action: 10 won, 30 lost; with it: 20 won, 20 lost.
//
//	intercept = ln(10/30) = −1.0986123,  weight = ln(20/20) − ln(10/30) = ln 3 = 1.0986123
//	SE(intercept) = √(1/10 + 1/30) = 0.3651484
//	SE(weight)    = √(1/10 + 1/30 + 1/20 + 1/20) = √0.2333… = 0.4830459
//	loglik = 10 ln .25 + 30 ln .75 + 40 ln .5 = −13.862944 − 8.630462 − 27.725887 = −50.219293
//	null (30/80 won): 30 ln .375 + 50 ln .625 = −29.424865 − 23.500181 = −52.925046
func TestFitLogitTwoByTwo(t *testing.T) {
	d := Data{
		Names: []string{"action:demo_request"},
		X:     mat.NewDense(4, 1, []float64{0, 0, 1, 1}),
		Y:     []float64{1, 0, 1, 0},
		W:     []float64{10, 30, 20, 20},
	}
	for _, workers := range []int{1, 3} {
		fit, err := FitLogit(context.Background(), d, FitOptions{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			name      string
			got, want float64
		}{
			{"intercept", fit.Intercept, math.Log(10.0 / 30)},
			{"weight", fit.Coef[0], math.Log(3)},
			{"se intercept", fit.SE[0], math.Sqrt(1.0/10 + 1.0/30)},
			{"se weight", fit.SE[1], math.Sqrt(1.0/10 + 1.0/30 + 1.0/20 + 1.0/20)},
			{"loglik", fit.LogLik, 10*math.Log(.25) + 30*math.Log(.75) + 40*math.Log(.5)},
			{"null", fit.LogLikNull, 30*math.Log(.375) + 50*math.Log(.625)},
			{"odds ratio", fit.OddsRatio(1), 3},
			{"z", fit.Z(1), math.Log(3) / math.Sqrt(0.7/3)},
			{"N", fit.N, 80},
			{"predict", fit.Predict([]float64{1}), 0.5},
		}
		for _, c := range checks {
			if !near(c.got, c.want, 1e-9) {
				t.Errorf("workers %d: %s = %.12g, want %.12g", workers, c.name, c.got, c.want)
			}
		}
	}
}

// TestFitLogitL2 checks the penalised optimum by its first-order condition
// Σ wi(yi − pi)xij = λβj for each coefficient (intercept unpenalised:
// Σ wi(yi − pi) = 0), and that a penalised fit of separated data is finite.
func TestFitLogitL2(t *testing.T) {
	d, _ := loadReference(t, "small")
	const lambda = 5.0
	fit, err := FitLogit(context.Background(), d, FitOptions{L2: lambda})
	if err != nil {
		t.Fatal(err)
	}
	n, p := d.X.Dims()
	grad := make([]float64, p+1)
	for i := 0; i < n; i++ {
		r := d.Y[i] - fit.Predict(d.X.RawRowView(i))
		grad[0] += r
		for j := 0; j < p; j++ {
			grad[j+1] += r * d.X.At(i, j)
		}
	}
	if math.Abs(grad[0]) > 1e-8 {
		t.Errorf("intercept score = %g, want 0", grad[0])
	}
	for j := 0; j < p; j++ {
		if math.Abs(grad[j+1]-lambda*fit.Coef[j]) > 1e-8 {
			t.Errorf("coef %d: score %g, λβ = %g", j, grad[j+1], lambda*fit.Coef[j])
		}
	}
	sep := Data{
		Names: []string{"action:demo_request"},
		X:     mat.NewDense(6, 1, []float64{1, 1, 1, 0, 0, 0}),
		Y:     []float64{1, 1, 1, 0, 1, 0},
	}
	if fit, err := FitLogit(context.Background(), sep, FitOptions{L2: 1}); err != nil || math.Abs(fit.Coef[0]) > 10 {
		t.Errorf("penalised separated fit = %v, %v; want a finite weight", fit, err)
	}
}

// TestFitLogitErrors covers the cases where no weights can be estimated.
func TestFitLogitErrors(t *testing.T) {
	col := func(v ...float64) *mat.Dense { return mat.NewDense(len(v), 1, v) }
	tests := []struct {
		name    string
		d       Data
		want    error
		feature string // for separation
		mention []string
	}{
		{name: "empty", d: Data{X: nil, Y: nil}, want: ErrEmptyData},
		{name: "zero weights", d: Data{X: col(1, 0), Y: []float64{1, 0}, W: []float64{0, 0}}, want: ErrEmptyData},
		{name: "single class", d: Data{X: col(1, 0, 2), Y: []float64{1, 1, 1}}, want: ErrSingleClass},
		// Every lead with the action won (rows 1–3), the others are mixed.
		{name: "separation with", d: Data{Names: []string{"action:demo_request"}, X: col(1, 1, 1, 0, 0, 0), Y: []float64{1, 1, 1, 0, 1, 0}},
			want: ErrSeparation, feature: "action:demo_request", mention: []string{"every lead with it"}},
		// No lead with the action won.
		{name: "separation with lost", d: Data{Names: []string{"attr:title=student"}, X: col(2, 1, 0, 0, 0), Y: []float64{0, 0, 1, 0, 1}},
			want: ErrSeparation, feature: "attr:title=student", mention: []string{"no lead with it"}},
		// Binary: every lead without the action lost.
		{name: "separation without", d: Data{Names: []string{"action:pricing_page"}, X: col(1, 1, 1, 0, 0), Y: []float64{1, 0, 1, 0, 0}},
			want: ErrSeparation, feature: "action:pricing_page", mention: []string{"no lead without it"}},
		// A count where y = 1 exactly when x ≥ 2: no single-column rule applies,
		// the weight diverges during the fit.
		{name: "separation during fit", d: Data{Names: []string{"action:visit"}, X: col(0, 0, 1, 1, 2, 2, 3, 3), Y: []float64{0, 0, 0, 0, 1, 1, 1, 1}},
			want: ErrSeparation, feature: "action:visit", mention: []string{"without bound"}},
		// x2 = 2·x1.
		{name: "collinear pair", d: Data{Names: []string{"a", "b", "c"}, X: mat.NewDense(6, 3, []float64{
			1, 0, 2, 0, 1, 0, 1, 1, 2, 0, 2, 0, 2, 1, 4, 1, 0, 2}), Y: []float64{1, 0, 1, 0, 1, 0}},
			want: ErrSingular, mention: []string{"c is a linear combination of a"}},
		// One-hot of every level: channel:a + channel:b = 1 = intercept.
		{name: "collinear with intercept", d: Data{Names: []string{"channel:a", "channel:b"}, X: mat.NewDense(4, 2, []float64{
			1, 0, 0, 1, 1, 0, 0, 1}), Y: []float64{1, 0, 0, 1}},
			want: ErrSingular, mention: []string{"channel:b is a linear combination of (intercept), channel:a"}},
		{name: "zero column", d: Data{Names: []string{"a", "never"}, X: mat.NewDense(4, 2, []float64{
			1, 0, 0, 0, 1, 0, 0, 0}), Y: []float64{1, 0, 0, 1}},
			want: ErrSingular, mention: []string{"never is zero in every row"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitLogit(context.Background(), tt.d, FitOptions{})
			t.Log(err)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.feature != "" {
				var se *SeparationError
				if !errors.As(err, &se) || se.Feature != tt.feature {
					t.Errorf("err = %v, want a *SeparationError on %s", err, tt.feature)
				}
			}
			for _, m := range tt.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("err = %q, want it to mention %q", err, m)
				}
			}
		})
	}
}

// TestDataValidate covers length and value checks that would otherwise make gonum panic.
func TestDataValidate(t *testing.T) {
	x := mat.NewDense(2, 1, []float64{1, 2})
	tests := []struct {
		name string
		d    Data
		want string
	}{
		{"outcomes", Data{X: x, Y: []float64{1}}, "1 outcomes for 2 rows"},
		{"weights", Data{X: x, Y: []float64{1, 0}, W: []float64{1}}, "1 weights for 2 rows"},
		{"names", Data{X: x, Y: []float64{1, 0}, Names: []string{"a", "b"}}, "2 names for 1 columns"},
		{"outcome value", Data{X: x, Y: []float64{1, 2}}, "outcome 2 is not 0 or 1"},
		{"negative weight", Data{X: x, Y: []float64{1, 0}, W: []float64{1, -1}}, "weight -1"},
		{"NaN feature", Data{X: mat.NewDense(2, 1, []float64{1, math.NaN()}), Y: []float64{1, 0}}, "row 2, column x1"},
		{"ok", Data{X: x, Y: []float64{1, 0}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestFitLogitWorkersAndCancel: the fit does not depend on the number of
// workers (partial sums are added in chunk order), stops at MaxIter with
// ErrNotConverged, and returns the context's error when cancelled.
func TestFitLogitWorkersAndCancel(t *testing.T) {
	d := syntheticData(50_000, 8, 3) // 7 chunks of 8192 rows
	one, err := FitLogit(context.Background(), d, FitOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	four, err := FitLogit(context.Background(), d, FitOptions{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if one.Intercept != four.Intercept || one.LogLik != four.LogLik {
		t.Errorf("1 worker: %v %v; 4 workers: %v %v", one.Intercept, one.LogLik, four.Intercept, four.LogLik)
	}
	for j := range one.Coef {
		if one.Coef[j] != four.Coef[j] || one.SE[j+1] != four.SE[j+1] {
			t.Errorf("coef %d: %v ± %v vs %v ± %v", j, one.Coef[j], one.SE[j+1], four.Coef[j], four.SE[j+1])
		}
	}
	if _, err := FitLogit(context.Background(), d, FitOptions{MaxIter: 1}); !errors.Is(err, ErrNotConverged) {
		t.Errorf("MaxIter 1: err = %v, want ErrNotConverged", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitLogit(ctx, d, FitOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// TestFitLogitStrongButFinite: a very strong feature that does not separate
// must not be reported as separation. With the action 999 won and 1 lost,
// without it 1 won and 999 lost:
//
//	intercept = ln(1/999) = −6.906755,  weight = ln(999/1) − ln(1/999) = 2 ln 999 = 13.813511
//	SE(weight) = √(1/999 + 1/1 + 1/1 + 1/999) = √2.002002 = 1.414922
func TestFitLogitStrongButFinite(t *testing.T) {
	d := Data{
		Names: []string{"action:talk_to_sales"},
		X:     mat.NewDense(4, 1, []float64{0, 0, 1, 1}),
		Y:     []float64{1, 0, 1, 0},
		W:     []float64{1, 999, 999, 1},
	}
	fit, err := FitLogit(context.Background(), d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(fit.Intercept, -math.Log(999), 1e-9) || !near(fit.Coef[0], 2*math.Log(999), 1e-9) ||
		!near(fit.SE[1], math.Sqrt(2+2.0/999), 1e-9) {
		t.Errorf("fit = %v, %v ± %v; want −6.906755, 13.813511 ± 1.414922", fit.Intercept, fit.Coef[0], fit.SE[1])
	}
}

// TestFitLogitStart starts Newton from a nearby fit (each weight off by
// 0.01, with a feature the data lacks): the maximum is statsmodels' to
// 1e-6, reached in fewer steps than from the intercept-only optimum.
func TestFitLogitStart(t *testing.T) {
	d, ref := loadReference(t, "counts")
	cold, err := FitLogit(context.Background(), d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	start := &LogitFit{Intercept: cold.Intercept + 0.01, Names: []string{"not in the data"}, Coef: []float64{3}}
	for j, name := range cold.Names {
		start.Names = append(start.Names, name)
		start.Coef = append(start.Coef, cold.Coef[j]-0.01)
	}
	warm, err := FitLogit(context.Background(), d, FitOptions{Start: start})
	if err != nil {
		t.Fatal(err)
	}
	for j := range ref.Fit.Params {
		if b, _ := warm.param(j); !near(b, ref.Fit.Params[j], 1e-6) || !near(warm.SE[j], ref.Fit.BSE[j], 1e-6) {
			t.Errorf("%s: param %.10g (SE %.10g) from the start, statsmodels %.10g (%.10g)", ref.Fit.Names[j], b, warm.SE[j], ref.Fit.Params[j], ref.Fit.BSE[j])
		}
	}
	if !warm.Converged || warm.Iterations >= cold.Iterations {
		t.Errorf("from the start: %d steps (converged %v); from the intercept-only optimum %d", warm.Iterations, warm.Converged, cold.Iterations)
	}
}

// TestStartAt checks the matching by name: a feature the start lacks
// ("b") and one with a non-finite start ("a") keep their value, and one
// only the start has ("z") is ignored.
func TestStartAt(t *testing.T) {
	beta := []float64{-2, 9, 9, 9}
	startAt(beta, []string{"a", "b", "c"}, &LogitFit{Intercept: -1, Names: []string{"c", "z", "a"}, Coef: []float64{0.5, 7, math.Inf(1)}})
	if want := []float64{-1, 9, 9, 0.5}; !reflect.DeepEqual(beta, want) {
		t.Errorf("got %v, want %v", beta, want)
	}
}
