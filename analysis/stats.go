package analysis

import "math"

// z95 is the standard normal quantile for a two-sided 95% interval,
// Φ⁻¹(0.975).
const z95 = 1.959963984540054

// Wilson returns the proportion num/den with its 95% Wilson score interval:
//
//	p̂ = num/den, z = Φ⁻¹(0.975) ≈ 1.96
//	centre    = (p̂ + z²/(2n)) / (1 + z²/n)
//	halfwidth = z/(1 + z²/n) · sqrt(p̂(1−p̂)/n + z²/(4n²))
//
// Source: E. B. Wilson (1927), "Probable inference, the law of succession,
// and statistical inference", JASA 22:209–212; as given in Agresti & Coull
// (1998), "Approximate is better than 'exact' for interval estimation of
// binomial proportions", The American Statistician 52:119–126. Example:
// 5/10 → [0.2366, 0.7634]. den ≤ 0 gives Rate 0 and the interval [0, 1].
func Wilson(num, den int64) Proportion {
	p := Proportion{Num: num, Den: den, High: 1}
	if den <= 0 {
		return p
	}
	n := float64(den)
	ph := float64(num) / n
	z2 := z95 * z95
	denom := 1 + z2/n
	centre := (ph + z2/(2*n)) / denom
	half := z95 / denom * math.Sqrt(ph*(1-ph)/n+z2/(4*n*n))
	p.Rate = ph
	p.Low = math.Max(0, centre-half)
	p.High = math.Min(1, centre+half)
	return p
}

// TwoProportionZTest returns the two-sided p-value of the pooled
// two-proportion z-test of x1/n1 against x2/n2:
//
//	p̂ = (x1+x2)/(n1+n2)
//	z = (x1/n1 − x2/n2) / sqrt(p̂(1−p̂)(1/n1 + 1/n2))
//	p-value = 2(1 − Φ(|z|)) = erfc(|z|/√2)
//
// Source: NIST/SEMATECH e-Handbook of Statistical Methods, 7.3.3 ("How can
// we determine whether two processes produce the same proportion of
// defectives?"); equal to R's prop.test(correct = FALSE). ok is false when
// n1 or n2 is not positive or the pooled proportion is 0 or 1 (no variance).
func TwoProportionZTest(x1, n1, x2, n2 int64) (pValue float64, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return 0, false
	}
	p := float64(x1+x2) / float64(n1+n2)
	if p <= 0 || p >= 1 {
		return 0, false
	}
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	z := (float64(x1)/float64(n1) - float64(x2)/float64(n2)) / se
	return math.Erfc(math.Abs(z) / math.Sqrt2), true
}

// RateRatioCI returns the 95% confidence interval of the ratio of two
// proportions, (x1/n1) / (x2/n2), by the Katz log method:
//
//	r = (x1/n1) / (x2/n2)
//	se(ln r) = sqrt(1/x1 − 1/n1 + 1/x2 − 1/n2)
//	[low, high] = r · exp(∓ z·se), z = Φ⁻¹(0.975) ≈ 1.96
//
// Source: D. Katz, J. Baptista, S. P. Azen, M. C. Pike (1978), "Obtaining
// confidence intervals for the risk ratio in cohort studies", Biometrics
// 34:469–474; the interval of R's epitools riskratio(method = "wald").
// Example: 2/3 against 1/2 → 1.3333 [0.2691, 6.6062]. ok is false when a
// count is zero or a denominator not positive (the log is undefined); when
// both rates are 1 the interval is [r, r].
func RateRatioCI(x1, n1, x2, n2 int64) (low, high float64, ok bool) {
	if x1 <= 0 || x2 <= 0 || n1 <= 0 || n2 <= 0 || x1 > n1 || x2 > n2 {
		return 0, 0, false
	}
	r := (float64(x1) / float64(n1)) / (float64(x2) / float64(n2))
	se := math.Sqrt(1/float64(x1) - 1/float64(n1) + 1/float64(x2) - 1/float64(n2))
	return r * math.Exp(-z95*se), r * math.Exp(z95*se), true
}
