package calibrate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// syntheticData returns n rows × p features from a fixed seed: even columns
// are 0/1 flags (share 0.1–0.5), odd columns geometric counts (mean 0.2–2),
// and y drawn from a logistic model with weights in [−0.5, 0.5].
func syntheticData(n, p int, seed uint64) Data {
	r := rand.New(rand.NewPCG(seed, 1))
	beta := make([]float64, p)
	for j := range beta {
		beta[j] = r.Float64() - 0.5
	}
	x := make([]float64, n*p)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		eta := -2.0
		for j := 0; j < p; j++ {
			var v float64
			if j%2 == 0 {
				if r.Float64() < 0.1+0.4*float64(j)/float64(p) {
					v = 1
				}
			} else {
				v = float64(int(r.ExpFloat64() * (0.2 + 1.8*float64(j)/float64(p))))
			}
			x[i*p+j] = v
			eta += beta[j] * v
		}
		if r.Float64() < sigmoid(eta) {
			y[i] = 1
		}
	}
	names := make([]string, p)
	for j := range names {
		names[j] = fmt.Sprintf("x%d", j+1)
	}
	return Data{Names: names, X: mat.NewDense(n, p, x), Y: y}
}

// BenchmarkFitLogit fits n rows × 40 features. Run the 1M case with
// -benchtime=1x; statsmodels Logit takes about 4.2 s for 1M × 40 on the
// project machine (DESIGN.md).
func BenchmarkFitLogit(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("N=%.0e", float64(n)), func(b *testing.B) {
			if testing.Short() && n > 100_000 {
				b.Skip("large benchmark")
			}
			d := syntheticData(n, 40, 42)
			b.ResetTimer()
			for b.Loop() {
				fit, err := FitLogit(context.Background(), d, FitOptions{})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(fit.Iterations), "iterations")
			}
		})
	}
}
