package calibrate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// CovKind names the covariance matrix behind a LogitFit's SE, Z, PValue, CI
// and Cov.
type CovKind string

const (
	// CovModel is the inverse of the observed information, H⁻¹ with
	// H = X̃'diag(wi·pi·(1−pi))X̃ (statsmodels' default, cov_type='nonrobust'):
	// right when observations are independent. FitLogit returns it.
	CovModel CovKind = "model"
	// CovCluster is the cluster-robust sandwich of ClusterRobust
	// (statsmodels cov_type='cluster'): right when observations of one cluster
	// (the snapshots of one lead) are dependent and clusters are independent.
	CovCluster CovKind = "cluster"
)

// ClusterOptions tune ClusterRobust.
type ClusterOptions struct {
	// Workers is the number of goroutines that accumulate the meat over
	// chunks of rows and clusters; 0 means runtime.GOMAXPROCS(0). The result
	// does not depend on it.
	Workers int
}

// ClusterRobust returns a copy of fit whose covariance, and so SE, Z, PValue
// and CI, is the cluster-robust sandwich (Liang & Zeger 1986; the small-sample
// factor is the one statsmodels applies by default for cov_type='cluster',
// checked in testdata/reference/cluster_reference.py):
//
//	V = c · H⁻¹ M H⁻¹,  M = Σ_g s_g s_gᵀ,  s_g = Σ_{o∈g} x̃_{r(o)}·(y_{r(o)} − p_{r(o)})
//	c = G/(G−1) · (N−1)/(N−K)
//
// where H⁻¹ is fit's model covariance (the inverse information at the
// optimum; with an L2 penalty, of the penalised information), x̃ is a row of
// d.X with a leading 1, p its fitted probability, G the number of clusters, N
// the number of observations and K = len(fit.Coef)+1. d must be the data fit
// came from (weighted unique rows) and obs the observations behind it. The
// returned fit has CovType CovCluster and Clusters G; fit itself is not
// changed. With one observation per cluster V is the heteroskedasticity-robust
// (HC0, scaled by c) covariance, not the model one: for independent leads use
// fit as FitLogit returns it.
//
// The meat is accumulated without expanding the observations: clusters of one
// observation add count·(y−p)²·x̃x̃ᵀ per unique row, larger clusters add their
// score s_g, both as rank-k updates over chunks in parallel. Cost is
// O(N·p + (U + G₂)·K²) for U unique rows and G₂ clusters of two or more.
//
// Errors: a nil fit, a fit that already carries a cluster covariance, data
// that do not match the fit or fail Data.Validate, observations whose lengths
// differ, that name a row out of range, whose counts per row differ from the
// weights, whose clusters are not contiguous, or fewer than 2 clusters or no
// more observations than parameters; and ctx.Err() when ctx is cancelled.
func ClusterRobust(ctx context.Context, fit *LogitFit, d Data, obs Observations, o ClusterOptions) (*LogitFit, error) {
	if fit == nil {
		return nil, fmt.Errorf("cluster covariance: no fit")
	}
	if fit.CovType == CovCluster {
		return nil, fmt.Errorf("cluster covariance: fit already carries a cluster covariance")
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("cluster covariance: %w", err)
	}
	_, p := d.dims()
	k := p + 1
	if len(fit.Coef) != p || len(fit.cov) != k*k {
		return nil, fmt.Errorf("cluster covariance: fit has %d coefficients, data %d columns", len(fit.Coef), p)
	}
	runs, err := obs.runs(d)
	if err != nil {
		return nil, fmt.Errorf("cluster covariance: %w", err)
	}
	g := len(runs) - 1
	nObs := len(obs.Row)
	if g < 2 {
		return nil, fmt.Errorf("cluster covariance: %d cluster, at least 2 are needed", g)
	}
	if nObs <= k {
		return nil, fmt.Errorf("cluster covariance: %d observations for %d parameters", nObs, k)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	beta := append([]float64{fit.Intercept}, fit.Coef...)
	meat, err := clusterMeat(ctx, d, obs, runs, beta, o.Workers)
	if err != nil {
		return nil, fmt.Errorf("cluster covariance: %w", err)
	}
	c := float64(g) / float64(g-1) * float64(nObs-1) / float64(nObs-k)
	bread := mat.NewDense(k, k, append([]float64(nil), fit.cov...))
	var bm, v mat.Dense
	bm.Mul(bread, meat)
	v.Mul(&bm, bread)
	v.Scale(c, &v)
	out := *fit
	out.Names = append([]string(nil), fit.Names...)
	out.Coef = append([]float64(nil), fit.Coef...)
	out.cov = make([]float64, k*k)
	out.SE = make([]float64, k)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			// Symmetrise away the rounding of the two products.
			out.cov[i*k+j] = (v.At(i, j) + v.At(j, i)) / 2
		}
		out.SE[i] = math.Sqrt(out.cov[i*k+i])
	}
	out.CovType = CovCluster
	out.Clusters = g
	return &out, nil
}

// clusterMeat returns M = Σ_g s_g s_gᵀ as a full k×k matrix. Unique rows
// whose observations include clusters of one are one unit of work each
// (weight: the number of such clusters), clusters of two or more another;
// both are accumulated over chunks in parallel and added in chunk order.
func clusterMeat(ctx context.Context, d Data, obs Observations, runs []int32, beta []float64, workers int) (*mat.Dense, error) {
	n, p := d.dims()
	k := p + 1
	raw := d.X.RawMatrix()
	resid := make([]float64, n)
	single := make([]float64, n)
	var multi []int32 // indices into runs of clusters of ≥ 2 observations
	for c := 0; c+1 < len(runs); c++ {
		if runs[c+1]-runs[c] == 1 {
			single[obs.Row[runs[c]]]++
		} else {
			multi = append(multi, int32(c))
		}
	}
	rowChunks := (n + chunkRows - 1) / chunkRows
	multiChunks := (len(multi) + chunkRows - 1) / chunkRows
	// Residuals first: clusters read the residuals of any row.
	err := parallelChunks(ctx, rowChunks, workers, 0, func(c int, _ []float64) {
		for i := c * chunkRows; i < min((c+1)*chunkRows, n); i++ {
			x := raw.Data[i*raw.Stride : i*raw.Stride+p]
			eta := beta[0]
			for j, v := range x {
				eta += beta[j+1] * v
			}
			resid[i] = d.Y[i] - sigmoid(eta)
		}
	})
	if err != nil {
		return nil, err
	}
	parts := make([][]float64, rowChunks+multiChunks)
	err = parallelChunks(ctx, rowChunks+multiChunks, workers, chunkRows*k, func(c int, buf []float64) {
		used := 0
		if c < rowChunks {
			for i := c * chunkRows; i < min((c+1)*chunkRows, n); i++ {
				if single[i] == 0 || resid[i] == 0 {
					continue
				}
				s := math.Sqrt(single[i]) * resid[i]
				row := buf[used*k : used*k+k]
				row[0] = s
				for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+p] {
					row[j+1] = s * v
				}
				used++
			}
		} else {
			mc := c - rowChunks
			for _, g := range multi[mc*chunkRows : min((mc+1)*chunkRows, len(multi))] {
				row := buf[used*k : used*k+k]
				clear(row)
				for _, r := range obs.Row[runs[g]:runs[g+1]] {
					e := resid[r]
					row[0] += e
					for j, v := range raw.Data[int(r)*raw.Stride : int(r)*raw.Stride+p] {
						row[j+1] += e * v
					}
				}
				used++
			}
		}
		part := make([]float64, k*k)
		if used > 0 {
			a := blas64.General{Rows: used, Cols: k, Stride: k, Data: buf[:used*k]}
			blas64.Syrk(blas.Trans, 1, a, 0, blas64.Symmetric{N: k, Stride: k, Uplo: blas.Upper, Data: part})
		}
		parts[c] = part
	})
	if err != nil {
		return nil, err
	}
	meat := mat.NewDense(k, k, nil)
	for _, part := range parts {
		for i := 0; i < k; i++ {
			for j := i; j < k; j++ {
				meat.Set(i, j, meat.At(i, j)+part[i*k+j])
			}
		}
	}
	for i := 0; i < k; i++ {
		for j := 0; j < i; j++ {
			meat.Set(i, j, meat.At(j, i))
		}
	}
	return meat, nil
}

// parallelChunks runs do(c, buf) for every chunk c in [0, chunks) on up to
// workers goroutines; buf is a scratch slice of bufLen floats owned by the
// goroutine. It returns ctx.Err() when ctx is cancelled before all chunks ran.
func parallelChunks(ctx context.Context, chunks, workers, bufLen int, do func(c int, buf []float64)) error {
	next := make(chan int, chunks)
	for c := 0; c < chunks; c++ {
		next <- c
	}
	close(next)
	workers = max(1, min(workers, chunks))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]float64, bufLen)
			for c := range next {
				if ctx.Err() != nil {
					return
				}
				do(c, buf)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
