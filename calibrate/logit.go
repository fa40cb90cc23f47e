package calibrate

import (
	"context"
	"fmt"
	"math"
	"runtime"

	"gonum.org/v1/gonum/mat"
)

// Data is a design matrix for a logistic regression of a 0/1 outcome.
type Data struct {
	// Names are the column names of X (e.g. "action:demo_request"), used in
	// errors and carried into the fit; nil gives "x1", "x2", ….
	Names []string
	// X is the n×p feature matrix without an intercept column (the fit adds one).
	X *mat.Dense
	// Y is the outcome of each row, 0 or 1.
	Y []float64
	// W are frequency weights: row i stands for W[i] identical observations
	// (for example the count of leads sharing a unique feature row). Nil means
	// every weight is 1. Weights must be finite and ≥ 0.
	W []float64
}

// rows returns n and p, with 0×0 for a nil X.
func (d Data) dims() (n, p int) {
	if d.X == nil || d.X.IsEmpty() {
		return 0, 0
	}
	return d.X.Dims()
}

// Validate checks the lengths and values of d before any gonum call could
// panic: len(Y) and len(W) (when W is not nil) equal the rows of X, len(Names)
// (when not nil) equals its columns, Y holds only 0 and 1, weights are finite
// and non-negative, and X is finite. It returns ErrEmptyData when there are no
// rows or the weights sum to zero.
func (d Data) Validate() error {
	n, p := d.dims()
	if n == 0 || len(d.Y) == 0 {
		if len(d.Y) != n {
			return fmt.Errorf("data: %d outcomes for %d rows", len(d.Y), n)
		}
		return ErrEmptyData
	}
	if len(d.Y) != n {
		return fmt.Errorf("data: %d outcomes for %d rows", len(d.Y), n)
	}
	if d.W != nil && len(d.W) != n {
		return fmt.Errorf("data: %d weights for %d rows", len(d.W), n)
	}
	if d.Names != nil && len(d.Names) != p {
		return fmt.Errorf("data: %d names for %d columns", len(d.Names), p)
	}
	sum := 0.0
	for i, y := range d.Y {
		if y != 0 && y != 1 {
			return fmt.Errorf("data: row %d: outcome %v is not 0 or 1", i+1, y)
		}
		w := 1.0
		if d.W != nil {
			w = d.W[i]
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("data: row %d: weight %v is not a finite number ≥ 0", i+1, w)
		}
		sum += w
	}
	if sum == 0 {
		return ErrEmptyData
	}
	// The first cell that is not finite, in row-major order: each chunk of
	// rows finds its own first, side by side, and the earliest chunk's wins.
	raw := d.X.RawMatrix()
	firstBad := make([]int, (n+chunkRows-1)/chunkRows)
	parallelChunks(context.Background(), len(firstBad), runtime.GOMAXPROCS(0), 0, func(c int, _ []float64) {
		firstBad[c] = -1
		for i := c * chunkRows; i < min((c+1)*chunkRows, n); i++ {
			for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+p] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					firstBad[c] = i*p + j
					return
				}
			}
		}
	})
	for _, at := range firstBad {
		if at >= 0 {
			i, j := at/p, at%p
			return fmt.Errorf("data: row %d, column %s: value %v is not finite", i+1, d.name(j), raw.Data[i*raw.Stride+j])
		}
	}
	return nil
}

// name returns the name of column j (0-based).
func (d Data) name(j int) string {
	if j < len(d.Names) {
		return d.Names[j]
	}
	return fmt.Sprintf("x%d", j+1)
}

// weight returns the frequency weight of row i.
func (d Data) weight(i int) float64 {
	if d.W == nil {
		return 1
	}
	return d.W[i]
}

// FitOptions tune FitLogit. The zero value is plain maximum likelihood, equal
// to statsmodels Logit.
type FitOptions struct {
	// L2 is a ridge penalty λ on the coefficients (not on the intercept): the
	// fit maximises loglik(β) − λ/2·Σβj². 0 means unpenalised. With L2 > 0
	// separation cannot make weights infinite, so it is not reported as an error.
	L2 float64
	// MaxIter is the limit on Newton steps; 0 means 100.
	MaxIter int
	// Tol is the convergence tolerance: the fit stops when the largest
	// absolute Newton step max|Δβ| or the relative change of the
	// log-likelihood |Δℓ|/(|ℓ|+1) falls below it. 0 means 1e-10.
	Tol float64
	// Workers is the number of goroutines that accumulate X'WX over row
	// chunks; 0 means runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Start, when not nil, is a fit of a similar model (on a sample, say)
	// whose intercept and coefficients, matched by feature name, start the
	// Newton steps instead of the intercept-only optimum; features it lacks
	// start at 0. The maximum found is the same to the tolerance, in fewer
	// steps.
	Start *LogitFit
}

// LogitFit is a fitted logistic regression
//
//	P(y=1 | x) = 1 / (1 + exp(−(Intercept + Σj Coef[j]·x[j])))
//
// with its inference. Index j in SE, Z, PValue, CI and OddsRatio is 0 for the
// intercept and k for Coef[k−1] (the order statsmodels uses with a leading constant).
type LogitFit struct {
	// Names are the feature names, one per Coef.
	Names []string
	// Intercept is the fitted log-odds when every feature is 0.
	Intercept float64
	// Coef are the fitted log-odds ratios per unit of each feature.
	Coef []float64
	// SE are the standard errors, len(Coef)+1, SE[0] for the intercept: the square
	// roots of the diagonal of the covariance inv(X'WX) with W = diag(wi·pi·(1−pi))
	// at the optimum (the observed information; statsmodels' bse). With L2 > 0
	// the covariance is the inverse of the penalised Hessian X'WX + λ·I (intercept
	// unpenalised), a Bayesian-style approximation. After ClusterRobust they
	// come from the cluster-robust sandwich instead (see CovType).
	SE []float64
	// LogLik is the maximised log-likelihood Σ wi·(yi·ln pi + (1−yi)·ln(1−pi))
	// (without the penalty when L2 > 0); LogLikNull is that of the intercept-only
	// model, Σ wi·(yi·ln ȳ + (1−yi)·ln(1−ȳ)) with ȳ the weighted mean outcome.
	LogLik, LogLikNull float64
	// Iterations is the number of Newton steps taken.
	Iterations int
	// Converged reports whether the tolerance was met (always true in a fit
	// returned without error).
	Converged bool
	// N is the number of observations, the sum of the weights.
	N float64
	// CovType says which covariance SE, Z, PValue, CI and Cov come from:
	// CovModel from FitLogit, CovCluster from ClusterRobust.
	CovType CovKind
	// Clusters is the number of clusters behind a CovCluster covariance; 0
	// for CovModel.
	Clusters int
	// cov is the (p+1)×(p+1) covariance matrix, row-major.
	cov []float64
}

// Cov returns the covariance of the estimates between parameters i and j
// (0 = intercept, k = Coef[k−1]); NaN when out of range.
func (f *LogitFit) Cov(i, j int) float64 {
	k := len(f.Coef) + 1
	if i < 0 || j < 0 || i >= k || j >= k || len(f.cov) != k*k {
		return math.NaN()
	}
	return f.cov[i*k+j]
}

// Predict returns the fitted probability for one feature row x (len(Coef)
// values); NaN when the length differs.
func (f *LogitFit) Predict(x []float64) float64 {
	if len(x) != len(f.Coef) {
		return math.NaN()
	}
	eta := f.Intercept
	for j, c := range f.Coef {
		eta += c * x[j]
	}
	return sigmoid(eta)
}

// PredictAll returns the fitted probability of each row of X; nil when X is
// nil or its column count differs from len(Coef).
func (f *LogitFit) PredictAll(X *mat.Dense) []float64 {
	if X == nil || X.IsEmpty() {
		return nil
	}
	n, p := X.Dims()
	if p != len(f.Coef) {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = f.Predict(X.RawRowView(i))
	}
	return out
}

// sigmoid is the logistic function 1/(1+e^−z), computed without overflow.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// logSigmoid returns ln sigmoid(z) = −ln(1+e^−z) without overflow or loss of precision.
func logSigmoid(z float64) float64 {
	if z >= 0 {
		return -math.Log1p(math.Exp(-z))
	}
	return z - math.Log1p(math.Exp(z))
}

// FitLogit fits a logistic regression of d.Y on d.X with an intercept by
// maximum likelihood (penalised by o.L2 when it is positive), using Newton's
// method (equivalently IRLS):
//
//	β ← β + H⁻¹g,  g = X̃'W(y − p) − λβ̃,  H = X̃'diag(wi·pi·(1−pi))X̃ + λĨ
//
// where X̃ is X with a leading column of ones, β̃ and Ĩ leave the intercept out
// of the penalty, and H is solved by Cholesky. X̃'WX̃ is accumulated over row
// chunks in parallel goroutines. A step that lowers the (penalised)
// log-likelihood is halved until it does not. Frequency weights multiply each
// row's contribution, so a fit on weighted unique rows equals the fit on the
// expanded rows.
//
// Errors (all wrapped, test with errors.Is): ErrEmptyData, ErrSingleClass,
// ErrSingular (collinear columns, named), ErrSeparation (with a
// *SeparationError naming the feature; only when L2 is 0), ErrNotConverged,
// and ctx.Err() when ctx is cancelled. The unpenalised fit equals statsmodels
// Logit (see testdata/reference).
func FitLogit(ctx context.Context, d Data, o FitOptions) (*LogitFit, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("fit logit: %w", err)
	}
	if o.MaxIter <= 0 {
		o.MaxIter = 100
	}
	if o.Tol <= 0 {
		o.Tol = 1e-10
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.L2 < 0 || math.IsNaN(o.L2) || math.IsInf(o.L2, 0) {
		return nil, fmt.Errorf("fit logit: L2 penalty %v is not a finite number ≥ 0", o.L2)
	}
	n, p := d.dims()
	k := p + 1
	sw, swy := 0.0, 0.0
	for i := 0; i < n; i++ {
		sw += d.weight(i)
		swy += d.weight(i) * d.Y[i]
	}
	if swy == 0 || swy == sw {
		return nil, fmt.Errorf("fit logit: %w (all %g rows have outcome %g)", ErrSingleClass, sw, d.Y[0])
	}
	if o.L2 == 0 {
		if err := checkSeparation(d); err != nil {
			return nil, fmt.Errorf("fit logit: %w", err)
		}
	}
	ybar := swy / sw
	fit := &LogitFit{
		Names:      names(d),
		N:          sw,
		CovType:    CovModel,
		LogLikNull: swy*math.Log(ybar) + (sw-swy)*math.Log(1-ybar),
	}

	beta := make([]float64, k)
	beta[0] = math.Log(ybar / (1 - ybar)) // the intercept-only optimum
	if o.Start != nil {
		startAt(beta, fit.Names, o.Start)
	}
	sx := sparseRowsOf(d.X)
	cur, err := evaluate(ctx, d, sx, beta, o.Workers, true)
	if err != nil {
		return nil, fmt.Errorf("fit logit: %w", err)
	}
	if o.L2 == 0 {
		if err := checkCollinear(cur.hess, k, d); err != nil {
			return nil, fmt.Errorf("fit logit: %w", err)
		}
	}
	penalised := func(pt pass, b []float64) float64 {
		pen := 0.0
		for _, v := range b[1:] {
			pen += v * v
		}
		return pt.ll - o.L2/2*pen
	}
	curObj := penalised(cur, beta)
	suspect, suspectCol := 0, -1
	for fit.Iterations < o.MaxIter {
		hess, grad := penalisedSystem(cur, beta, o.L2, k)
		delta, ok := solveSPD(hess, grad, k)
		if !ok {
			if j := largest(beta); j >= 0 && math.Abs(beta[j]) > 5 {
				return nil, fmt.Errorf("fit logit: %w", separationAt(d, j, beta[j], fit.Iterations))
			}
			return nil, fmt.Errorf("fit logit: %w: information matrix is not positive definite at step %d", ErrSingular, fit.Iterations)
		}
		// Step halving: accept the first step that does not lower the objective
		// (beyond rounding).
		step := 1.0
		cand := make([]float64, k)
		var next pass
		var nextObj float64
		accepted := false
		for h := 0; h < 50; h++ {
			for j := range cand {
				cand[j] = beta[j] + step*delta[j]
			}
			next, err = evaluate(ctx, d, sx, cand, o.Workers, true)
			if err != nil {
				return nil, fmt.Errorf("fit logit: %w", err)
			}
			nextObj = penalised(next, cand)
			if nextObj >= curObj-1e-12*(math.Abs(curObj)+1) {
				accepted = true
				break
			}
			step /= 2
		}
		fit.Iterations++
		moving, full := 0.0, 0.0
		for _, v := range delta {
			moving = max(moving, math.Abs(step*v))
			full = max(full, math.Abs(v))
		}
		if !accepted {
			// No step improves the objective: at the optimum to rounding
			// when the Newton step itself is negligible.
			fit.Converged = full < 1e-6
			break
		}
		change := math.Abs(nextObj-curObj) / (math.Abs(curObj) + 1)
		decrement := 0.0
		for j := range delta {
			decrement += grad[j] * delta[j]
		}
		beta, cur, curObj = cand, next, nextObj
		// Separation: the objective is flat (Newton decrement g'H⁻¹g tiny) yet
		// the weights keep moving by whole units, step after step.
		if o.L2 == 0 && decrement < 1e-3 && moving > 0.1 {
			j := movingCol(delta)
			if j == suspectCol {
				suspect++
			} else {
				suspect, suspectCol = 1, j
			}
			if suspect >= 3 {
				return nil, fmt.Errorf("fit logit: %w", separationAt(d, j, beta[j], fit.Iterations))
			}
		} else {
			suspect, suspectCol = 0, -1
		}
		maxBeta := 0.0
		for _, v := range beta {
			maxBeta = max(maxBeta, math.Abs(v))
		}
		if moving < o.Tol || (change < o.Tol && moving < 1e-5*(1+maxBeta)) {
			fit.Converged = true
			break
		}
	}
	if !fit.Converged {
		if suspect > 0 {
			return nil, fmt.Errorf("fit logit: %w", separationAt(d, suspectCol, beta[suspectCol], fit.Iterations))
		}
		return nil, fmt.Errorf("fit logit: %w after %d steps", ErrNotConverged, fit.Iterations)
	}
	hess, _ := penalisedSystem(cur, beta, o.L2, k)
	cov, ok := inverseSPD(hess, k)
	if !ok {
		return nil, fmt.Errorf("fit logit: %w: information matrix is singular at the optimum", ErrSingular)
	}
	fit.Intercept = beta[0]
	fit.Coef = append([]float64(nil), beta[1:]...)
	fit.LogLik = cur.ll
	fit.cov = cov
	fit.SE = make([]float64, k)
	for j := range fit.SE {
		fit.SE[j] = math.Sqrt(cov[j*k+j])
	}
	return fit, nil
}

// names returns d.Names, or x1…xp when nil.
func names(d Data) []string {
	_, p := d.dims()
	out := make([]string, p)
	for j := range out {
		out[j] = d.name(j)
	}
	return out
}

// penalisedSystem returns the Hessian (full symmetric, with λ on the
// coefficients' diagonal) and the penalised gradient at beta.
func penalisedSystem(pt pass, beta []float64, l2 float64, k int) (hess, grad []float64) {
	hess = make([]float64, k*k)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			hess[i*k+j] = pt.hess[i*k+j]
			hess[j*k+i] = pt.hess[i*k+j]
		}
	}
	grad = append([]float64(nil), pt.grad...)
	for j := 1; j < k; j++ {
		hess[j*k+j] += l2
		grad[j] -= l2 * beta[j]
	}
	return hess, grad
}

// largest returns the index of the coefficient (not the intercept) with the
// largest magnitude, or 0 when there are no coefficients.
func largest(beta []float64) int {
	best := 0
	for j := 1; j < len(beta); j++ {
		if best == 0 || math.Abs(beta[j]) > math.Abs(beta[best]) {
			best = j
		}
	}
	return best
}

// movingCol returns the parameter index with the largest step, preferring a
// coefficient over the intercept when both move by similar amounts (a binary
// feature whose absence separates moves both by the same amount).
func movingCol(delta []float64) int {
	best := 0
	for j := range delta {
		if math.Abs(delta[j]) > math.Abs(delta[best]) {
			best = j
		}
	}
	if best == 0 && len(delta) > 1 {
		j := largest(delta)
		if math.Abs(delta[j]) >= 0.5*math.Abs(delta[0]) {
			return j
		}
	}
	return best
}

// startAt sets beta (intercept first, then one per name) from a previous
// fit's intercept and its coefficients of the same names; a name it lacks,
// or a non-finite start value, leaves beta's value (0 in FitLogit).
func startAt(beta []float64, names []string, start *LogitFit) {
	prev := make(map[string]float64, len(start.Names))
	for j, name := range start.Names {
		prev[name] = start.Coef[j]
	}
	if !math.IsInf(start.Intercept, 0) && !math.IsNaN(start.Intercept) {
		beta[0] = start.Intercept
	}
	for j, name := range names {
		if v, ok := prev[name]; ok && !math.IsInf(v, 0) && !math.IsNaN(v) {
			beta[j+1] = v
		}
	}
}
