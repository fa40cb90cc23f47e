package calibrate

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// param returns parameter j (0 = intercept, k = Coef[k−1]) and whether j is in range.
func (f *LogitFit) param(j int) (float64, bool) {
	switch {
	case j == 0:
		return f.Intercept, true
	case j > 0 && j <= len(f.Coef):
		return f.Coef[j-1], true
	}
	return math.NaN(), false
}

// Z returns the Wald statistic of parameter j (0 = intercept, k = Coef[k−1]):
//
//	z = β_j / SE_j
//
// NaN when j is out of range.
func (f *LogitFit) Z(j int) float64 {
	b, ok := f.param(j)
	if !ok || j >= len(f.SE) {
		return math.NaN()
	}
	return b / f.SE[j]
}

// PValue returns the two-sided p-value of parameter j under the normal
// approximation (statsmodels Logit's pvalues):
//
//	p = 2·(1 − Φ(|z|)) = erfc(|z|/√2)
//
// NaN when j is out of range.
func (f *LogitFit) PValue(j int) float64 {
	return math.Erfc(math.Abs(f.Z(j)) / math.Sqrt2)
}

// CI returns the Wald confidence interval of parameter j at the given level
// (e.g. 0.95), as statsmodels' conf_int:
//
//	β_j ∓ Φ⁻¹((1+level)/2)·SE_j
//
// NaN, NaN when j or level (which must be in (0,1)) is out of range.
func (f *LogitFit) CI(j int, level float64) (lo, hi float64) {
	b, ok := f.param(j)
	if !ok || j >= len(f.SE) || !(level > 0 && level < 1) {
		return math.NaN(), math.NaN()
	}
	q := distuv.UnitNormal.Quantile((1 + level) / 2)
	return b - q*f.SE[j], b + q*f.SE[j]
}

// OddsRatio returns exp(β_j), the factor by which one unit of feature j
// multiplies the odds (for j = 0, the odds when every feature is 0). NaN when
// j is out of range.
func (f *LogitFit) OddsRatio(j int) float64 {
	b, _ := f.param(j)
	return math.Exp(b)
}

// symDense copies the full row-major k×k symmetric matrix a into a SymDense.
func symDense(a []float64, k int) *mat.SymDense {
	return mat.NewSymDense(k, append([]float64(nil), a...))
}

// solveSPD solves a·x = b for a symmetric positive definite k×k matrix by
// Cholesky; ok is false when a is not positive definite.
func solveSPD(a, b []float64, k int) (x []float64, ok bool) {
	var ch mat.Cholesky
	if !ch.Factorize(symDense(a, k)) {
		return nil, false
	}
	var v mat.VecDense
	if err := ch.SolveVecTo(&v, mat.NewVecDense(k, append([]float64(nil), b...))); err != nil {
		return nil, false
	}
	x = make([]float64, k)
	for i := range x {
		x[i] = v.AtVec(i)
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) {
			return nil, false
		}
	}
	return x, true
}

// inverseSPD returns the inverse of a symmetric positive definite k×k matrix
// as a full row-major slice; ok is false when it is not positive definite.
func inverseSPD(a []float64, k int) (inv []float64, ok bool) {
	var ch mat.Cholesky
	if !ch.Factorize(symDense(a, k)) {
		return nil, false
	}
	var s mat.SymDense
	if err := ch.InverseTo(&s); err != nil {
		return nil, false
	}
	inv = make([]float64, k*k)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			inv[i*k+j] = s.At(i, j)
		}
	}
	return inv, true
}
