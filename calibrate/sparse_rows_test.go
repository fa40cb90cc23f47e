package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// sparseData returns n rows × p columns where each cell is non-zero with
// probability 0.1 (a 0/1 flag in even columns, a count in odd ones), with
// weights, and y drawn from a logistic model.
func sparseData(n, p int, seed uint64) Data {
	r := rand.New(rand.NewPCG(seed, 2))
	x := make([]float64, n*p)
	y := make([]float64, n)
	w := make([]float64, n)
	for i := 0; i < n; i++ {
		eta := -1.5
		for j := 0; j < p; j++ {
			if r.Float64() < 0.1 {
				v := 1.0
				if j%2 == 1 {
					v = float64(1 + r.IntN(5))
				}
				x[i*p+j] = v
				eta += (float64(j%5) - 2) / 4 * v
			}
		}
		if r.Float64() < sigmoid(eta) {
			y[i] = 1
		}
		w[i] = float64(1 + r.IntN(3))
	}
	return Data{X: mat.NewDense(n, p, x), Y: y, W: w}
}

// TestSparseRowsMatchDense checks that a Newton pass over the non-zero
// entries gives the log-likelihood, gradient and information of the pass
// over the dense rows (BLAS), and that the sparse form is only taken for
// mostly-zero designs.
func TestSparseRowsMatchDense(t *testing.T) {
	d := sparseData(30_000, 12, 5)
	sx := sparseRowsOf(d.X)
	if sx == nil {
		t.Fatal("a design with 10% non-zero cells was not put in sparse form")
	}
	if dense := syntheticData(1000, 12, 1); sparseRowsOf(dense.X) != nil {
		t.Fatal("a mostly non-zero design was put in sparse form")
	}
	beta := []float64{-1, 0.3, -0.2, 0.1, 0, 0.5, -0.4, 0.2, 0.05, -0.1, 0.3, 0.2, -0.3}
	ctx := context.Background()
	want, err := evaluate(ctx, d, nil, beta, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := evaluate(ctx, d, sx, beta, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	near := func(what string, a, b float64) {
		t.Helper()
		if math.Abs(a-b) > 1e-9*(1+math.Abs(b)) {
			t.Errorf("%s: sparse %.12g, dense %.12g", what, a, b)
		}
	}
	near("log-likelihood", got.ll, want.ll)
	k := len(beta)
	for j := 0; j < k; j++ {
		near("gradient", got.grad[j], want.grad[j])
		for i := 0; i <= j; i++ {
			near("information", got.hess[i*k+j], want.hess[i*k+j])
		}
	}
	if want.hess[0*k+5] == 0 || want.grad[3] == 0 {
		t.Fatal("the dense pass gave zeros: the comparison proves nothing")
	}
}

// TestRowTermsMatchSigmoid checks that the one-exponential row terms equal
// sigmoid and logSigmoid bit for bit, on both sides of 0 and far out.
func TestRowTermsMatchSigmoid(t *testing.T) {
	d := Data{Y: []float64{0, 1}}
	for _, eta := range []float64{-800, -40, -3.5, -1e-9, 0, 1e-9, 0.7, 2, 35, 800} {
		for i, y := range d.Y {
			ll, mu, r := rowTerms(d, i, 2, eta)
			wantLL := 2 * logSigmoid(-eta)
			if y == 1 {
				wantLL = 2 * logSigmoid(eta)
			}
			wantMu := sigmoid(eta)
			if ll != wantLL || mu != wantMu || r != 2*(y-wantMu) {
				t.Errorf("eta %g y %g: got (%v, %v, %v), want (%v, %v, %v)", eta, y, ll, mu, r, wantLL, wantMu, 2*(y-wantMu))
			}
		}
	}
}

// TestChunkedChecksFindTheFirst checks the checks that read the rows in
// chunks side by side: Validate names the first non-finite cell in row
// order even when a later chunk holds one too, and a separating column
// whose rows spread over several chunks is still found.
func TestChunkedChecksFindTheFirst(t *testing.T) {
	n, p := 3*chunkRows+11, 3
	x := make([]float64, n*p)
	y := make([]float64, n)
	for i := range n {
		y[i] = float64(i % 2)
		x[i*p] = float64(i % 5)
		x[i*p+1] = float64(i % 3)
	}
	d := Data{X: mat.NewDense(n, p, x), Y: y}
	d.X.Set(2*chunkRows+5, 1, math.Inf(1))
	d.X.Set(chunkRows+7, 2, math.NaN())
	err := d.Validate()
	if err == nil || err.Error() != fmt.Sprintf("data: row %d, column x3: value NaN is not finite", chunkRows+8) {
		t.Fatalf("Validate: %v, want the NaN of row %d named", err, chunkRows+8)
	}
	d.X.Set(2*chunkRows+5, 1, 0)
	d.X.Set(chunkRows+7, 2, 0)
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := checkSeparation(d); err != nil {
		t.Fatalf("no separation yet: %v", err)
	}
	// Column 3 is 2 on winners of every chunk, else 0: all its rows won.
	for i := 1; i < n; i += 998 {
		d.X.Set(i, 2, 2)
	}
	var se *SeparationError
	if err := checkSeparation(d); !errors.As(err, &se) || se.Feature != "x3" {
		t.Fatalf("checkSeparation: %v, want x3 named", err)
	}
}
