package calibrate

import (
	"context"
	"math"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// This file holds one Newton pass of FitLogit: the log-likelihood, its
// gradient and the information X'WX at one β, summed over chunks of rows
// on several goroutines, from the dense rows (BLAS) or from their
// non-zero entries (sparse_rows.go).

// chunkRows is the number of rows one unit of parallel work handles. Partial
// sums are kept per chunk and added in chunk order, so results do not depend
// on the number of workers.
const chunkRows = 8192

// pass is the log-likelihood, gradient and Hessian at one β over all rows.
type pass struct {
	ll   float64   // Σ wi·ℓi
	grad []float64 // len k = p+1
	hess []float64 // k×k, upper triangle filled
}

// evaluate computes ℓ(β), its gradient and the information X'WX (upper
// triangle) over all rows, in parallel over row chunks. sx, when not nil,
// is d.X by its non-zero entries (see sparseRowsOf), and is read instead.
func evaluate(ctx context.Context, d Data, sx *sparseRows, beta []float64, workers int, withHess bool) (pass, error) {
	n, p := d.dims()
	k := p + 1
	nChunks := (n + chunkRows - 1) / chunkRows
	parts := make([]pass, nChunks)
	if workers > nChunks {
		workers = nChunks
	}
	var wg sync.WaitGroup
	next := make(chan int, nChunks)
	for c := 0; c < nChunks; c++ {
		next <- c
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []float64
			if withHess && sx == nil {
				buf = make([]float64, chunkRows*k)
			}
			for c := range next {
				if ctx.Err() != nil {
					return
				}
				lo, hi := c*chunkRows, min((c+1)*chunkRows, n)
				pt := pass{grad: make([]float64, k)}
				if withHess {
					pt.hess = make([]float64, k*k)
				}
				if sx != nil {
					sx.addChunk(&pt, d, beta, lo, hi, withHess)
				} else {
					addDenseChunk(&pt, d, beta, lo, hi, buf)
				}
				parts[c] = pt
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return pass{}, err
	}
	total := pass{grad: make([]float64, k)}
	if withHess {
		total.hess = make([]float64, k*k)
	}
	for _, pt := range parts {
		total.ll += pt.ll
		for j, g := range pt.grad {
			total.grad[j] += g
		}
		for j, h := range pt.hess {
			total.hess[j] += h
		}
	}
	return total, nil
}

// rowTerms returns row i's weighted log-likelihood at linear predictor eta,
// its fitted probability and its weighted residual wi·(yi − μi). It gives
// what sigmoid(eta) and logSigmoid(±eta) give, bit for bit, from one
// exponential e^−|eta| where they take two.
func rowTerms(d Data, i int, wi, eta float64) (ll, mu, r float64) {
	e := math.Exp(-math.Abs(eta))
	l := math.Log1p(e) // −ln σ(|eta|)
	var lnMu, lnOneMinus float64
	if eta >= 0 {
		mu = 1 / (1 + e)
		lnMu, lnOneMinus = -l, -eta-l
	} else {
		mu = e / (1 + e)
		lnMu, lnOneMinus = eta-l, -l
	}
	if d.Y[i] == 1 {
		ll = wi * lnMu
	} else {
		ll = wi * lnOneMinus
	}
	return ll, mu, wi * (d.Y[i] - mu)
}

// addDenseChunk adds rows lo..hi−1 of d to pt, reading X as it is stored;
// with pt.hess the information goes through a symmetric rank-k update of
// the rows scaled by √(wi·μi·(1−μi)), gathered in buf (chunkRows·(p+1)).
func addDenseChunk(pt *pass, d Data, beta []float64, lo, hi int, buf []float64) {
	raw := d.X.RawMatrix()
	p := raw.Cols
	k := p + 1
	rowsUsed := 0
	for i := lo; i < hi; i++ {
		wi := d.weight(i)
		if wi == 0 {
			continue
		}
		x := raw.Data[i*raw.Stride : i*raw.Stride+p]
		eta := beta[0]
		for j, v := range x {
			eta += beta[j+1] * v
		}
		ll, mu, r := rowTerms(d, i, wi, eta)
		pt.ll += ll
		pt.grad[0] += r
		for j, v := range x {
			pt.grad[j+1] += r * v
		}
		if pt.hess != nil {
			s := math.Sqrt(wi * mu * (1 - mu))
			row := buf[rowsUsed*k : rowsUsed*k+k]
			row[0] = s
			for j, v := range x {
				row[j+1] = s * v
			}
			rowsUsed++
		}
	}
	if pt.hess != nil && rowsUsed > 0 {
		a := blas64.General{Rows: rowsUsed, Cols: k, Stride: k, Data: buf[:rowsUsed*k]}
		h := blas64.Symmetric{N: k, Stride: k, Uplo: blas.Upper, Data: pt.hess}
		blas64.Syrk(blas.Trans, 1, a, 1, h)
	}
}
