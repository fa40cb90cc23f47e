package gen

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// fitLogit fits a logistic regression with intercept by Newton-Raphson
// (IRLS) and returns the coefficients (intercept first) and their standard
// errors from the inverse of the observed information X'WX.
func fitLogit(t *testing.T, x [][]float64, y []float64) (beta, se []float64) {
	t.Helper()
	k := len(x[0]) + 1
	beta = make([]float64, k)
	row := make([]float64, k)
	var info *mat.SymDense
	for iter := 0; ; iter++ {
		info = mat.NewSymDense(k, nil)
		grad := make([]float64, k)
		for i, xi := range x {
			row[0] = 1
			copy(row[1:], xi)
			z := 0.0
			for j, v := range row {
				z += beta[j] * v
			}
			p := 1 / (1 + math.Exp(-z))
			w := p * (1 - p)
			for a := range k {
				grad[a] += (y[i] - p) * row[a]
				if row[a] == 0 {
					continue
				}
				for b := a; b < k; b++ {
					info.SetSym(a, b, info.At(a, b)+w*row[a]*row[b])
				}
			}
		}
		var chol mat.Cholesky
		if !chol.Factorize(info) {
			t.Fatal("information matrix not positive definite")
		}
		var step mat.VecDense
		if err := chol.SolveVecTo(&step, mat.NewVecDense(k, grad)); err != nil {
			t.Fatal(err)
		}
		maxStep := 0.0
		for j := range k {
			beta[j] += step.AtVec(j)
			maxStep = max(maxStep, math.Abs(step.AtVec(j)))
		}
		if maxStep < 1e-9 {
			break
		}
		if iter == 50 {
			t.Fatal("logistic fit did not converge")
		}
	}
	var chol mat.Cholesky
	chol.Factorize(info)
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		t.Fatal(err)
	}
	se = make([]float64, k)
	for j := range k {
		se[j] = math.Sqrt(cov.At(j, j))
	}
	return beta, se
}

// design builds the truth's features for the mature leads of d: one column
// per weight in truth.yaml (one-hot channel and attribute values, decayed
// action sums before the cut-off), in sorted name order. With leaky set, an
// action's events after the cut-off count too (undecayed), as a careless
// implementation would.
func design(d *dataset, leaky bool) (names []string, x [][]float64, y []float64) {
	for n := range d.truth.Weights {
		names = append(names, n)
	}
	sort.Strings(names)
	col := map[string]int{}
	for i, n := range names {
		col[n] = i
	}
	for _, l := range d.leads {
		if !d.mature(l) {
			continue
		}
		row := make([]float64, len(names))
		if j, ok := col["channel:"+l.channel]; ok {
			row[j] = 1
		}
		for c, v := range l.attrs {
			if j, ok := col["attr:"+c+"="+v]; ok {
				row[j] = 1
			}
		}
		cut := d.cutoff(l)
		for _, e := range l.events {
			j, ok := col["action:"+e.action]
			switch {
			case !ok:
			case e.at.Before(cut):
				row[j] += math.Pow(0.5, cut.Sub(e.at).Hours()/24/d.truth.HalfLifeDays)
			case leaky && e.at.Before(l.created.Add(time.Duration(d.truth.HorizonDays*24)*time.Hour)):
				row[j]++
			}
		}
		x = append(x, row)
		label := 0.0
		if d.wonInHorizon(l) {
			label = 1
		}
		y = append(y, label)
	}
	return names, x, y
}

// TestLogisticFitRecoversTruth fits the truth's own model to the files,
// leak-free, and checks every weight against truth.yaml: each within 4
// standard errors, and Σ z² over the intercept and the 29 weights below the
// 0.999 quantile of χ² with 30 degrees of freedom (59.70, R qchisq(0.999, 30)).
// A leaky fit (events after the cut-off counted) must overstate the trap
// actions instead.
func TestLogisticFitRecoversTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 60k leads")
	}
	dir, _ := generateDir(t, Config{Leads: 60000, Seed: 6})
	d := loadDataset(t, dir)
	names, x, y := design(d, false)
	if len(names) != 29 {
		t.Fatalf("%d weights, the χ² bound below is for 29", len(names))
	}
	beta, se := fitLogit(t, x, y)
	var chi2 float64
	var report strings.Builder
	check := func(name string, got, s, want float64) {
		z := (got - want) / s
		chi2 += z * z
		fmt.Fprintf(&report, "%-34s %7.3f ± %.3f  truth %6.2f  z %+.1f\n", name, got, s, want, z)
		if math.Abs(z) > 4 {
			t.Errorf("%s: fitted %.3f ± %.3f, truth %.3f (z = %.1f)", name, got, s, want, z)
		}
	}
	check("intercept", beta[0], se[0], d.truth.Intercept)
	for j, n := range names {
		check(n, beta[j+1], se[j+1], d.truth.Weights[n])
	}
	t.Logf("%d mature leads, %v won; Σz² = %.1f\n%s", len(y), sum(y), chi2, report.String())
	if chi2 > 59.70 {
		t.Errorf("Σ z² = %.1f over 30 coefficients exceeds the χ²(30) 0.999 quantile 59.70", chi2)
	}

	_, xl, yl := design(d, true)
	leaky, _ := fitLogit(t, xl, yl)
	for _, a := range []string{"action:demo_request", "action:talk_to_sales", "action:free_trial"} {
		j := sort.SearchStrings(names, a) + 1
		if leaky[j] < beta[j]+0.3 && leaky[j] < d.truth.Weights[a]+0.3 {
			t.Errorf("%s: leaky fit %.2f does not overstate the leak-free %.2f / truth %.2f", a, leaky[j], beta[j], d.truth.Weights[a])
		}
		t.Logf("%s: leak-free %.2f, leaky %.2f, truth %.2f", a, beta[j], leaky[j], d.truth.Weights[a])
	}
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}
