package calibrate

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Validation metrics of predicted probabilities p against 0/1 outcomes y with
// frequency weights w. If w is nil then all of the weights are 1. Mismatched
// lengths, or no rows, give NaN (or nil for the tables).

// weightAt returns w[i], or 1 when w is nil.
func weightAt(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// lengthsOK reports whether p, y and (when not nil) w have the same non-zero length.
func lengthsOK(p, y, w []float64) bool {
	return len(p) > 0 && len(p) == len(y) && (w == nil || len(w) == len(p))
}

// tieGroup is the weight of positives and negatives sharing one predicted value.
type tieGroup struct {
	p        float64
	pos, neg float64
}

// tieGroups returns the rows grouped by predicted value, in increasing order.
// The rows are sorted by value, not through an index, and merged in place:
// on the 2.5M training leads of a large calibration the index sort and the
// growing output took about 3.5 s over the metrics.
func tieGroups(p, y, w []float64) []tieGroup {
	if groups, ok := fewTieGroups(p, y, w); ok {
		return groups
	}
	return sortedTieGroups(p, y, w)
}

// sortedTieGroups is tieGroups by sorting every row.
func sortedTieGroups(p, y, w []float64) []tieGroup {
	if w == nil {
		return unweightedTieGroups(p, y)
	}
	rows := make([]tieGroup, len(p))
	for i, v := range p {
		rows[i].p = v
		if y[i] == 1 {
			rows[i].pos = weightAt(w, i)
		} else {
			rows[i].neg = weightAt(w, i)
		}
	}
	slices.SortFunc(rows, func(a, b tieGroup) int { return cmp.Compare(a.p, b.p) })
	return mergeTies(rows)
}

// unweightedTieGroups is sortedTieGroups with every weight 1: the values of
// the positives and of the negatives are sorted apart as plain float64s and
// merged. Sorting float64s rather than rows through a comparison function
// is about twice as fast, which the leak check's lone-action AUCs (1.2M
// decayed values each) feel. NaNs come first and tie with each other.
func unweightedTieGroups(p, y []float64) []tieGroup {
	npos := 0
	for _, v := range y {
		if v == 1 {
			npos++
		}
	}
	pos, neg := make([]float64, 0, npos), make([]float64, 0, len(p)-npos)
	for i, v := range p {
		if y[i] == 1 {
			pos = append(pos, v)
		} else {
			neg = append(neg, v)
		}
	}
	slices.Sort(pos)
	slices.Sort(neg)
	same := func(a, b float64) bool { return cmp.Compare(a, b) == 0 }
	var out []tieGroup
	for i, j := 0, 0; i < len(pos) || j < len(neg); {
		var v float64
		switch {
		case j == len(neg) || (i < len(pos) && cmp.Compare(pos[i], neg[j]) <= 0):
			v = pos[i]
		default:
			v = neg[j]
		}
		g := tieGroup{p: v}
		for ; i < len(pos) && same(pos[i], v); i++ {
			g.pos++
		}
		for ; j < len(neg) && same(neg[j], v); j++ {
			g.neg++
		}
		out = append(out, g)
	}
	return out
}

// maxFewValues is how many distinct values fewTieGroups tallies before it
// gives up.
const maxFewValues = 1024

// fewTieGroups returns what tieGroups returns when p has at most
// maxFewValues distinct values and no NaN (ok false otherwise), by
// tallying the rows per value and sorting only the values. A feature's
// values (the leak checks' lone-feature AUCs) and integer scores have few:
// on 1.2M training snapshots this is about ten times faster than sorting
// the rows.
func fewTieGroups(p, y, w []float64) ([]tieGroup, bool) {
	index := make(map[float64]int, 64)
	var groups []tieGroup
	for i, v := range p {
		k, ok := index[v]
		if !ok {
			if v != v || len(groups) == maxFewValues {
				return nil, false
			}
			k = len(groups)
			index[v] = k
			groups = append(groups, tieGroup{p: v})
		}
		if y[i] == 1 {
			groups[k].pos += weightAt(w, i)
		} else {
			groups[k].neg += weightAt(w, i)
		}
	}
	slices.SortFunc(groups, func(a, b tieGroup) int { return cmp.Compare(a.p, b.p) })
	return groups, true
}

// AUC returns the area under the ROC curve: the weighted share of
// (positive, negative) pairs in which the positive has the higher predicted
// probability, ties counting one half (the Mann–Whitney U statistic divided
// by n₁·n₀):
//
//	AUC = Σᵢ∈pos Σⱼ∈neg wᵢwⱼ([pᵢ > pⱼ] + ½[pᵢ = pⱼ]) / (W₁·W₀)
//
// NaN when there are no positives or no negatives.
func AUC(p, y, w []float64) float64 {
	if !lengthsOK(p, y, w) {
		return math.NaN()
	}
	auc, _, _ := aucGroups(tieGroups(p, y, w))
	return auc
}

// aucGroups returns the AUC and the total positive and negative weights.
func aucGroups(groups []tieGroup) (auc, w1, w0 float64) {
	sum, below := 0.0, 0.0
	for _, g := range groups {
		sum += g.pos * (below + g.neg/2)
		below += g.neg
		w1 += g.pos
	}
	w0 = below
	if w1 == 0 || w0 == 0 {
		return math.NaN(), w1, w0
	}
	return sum / (w1 * w0), w1, w0
}

// AUCConfidence returns a Wald confidence interval at the given level (e.g.
// 0.95) for the AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson,
// Biometrics 1988):
//
//	V₁₀(i) = share of negatives below positive i (ties ½),  V₀₁(j) = share of positives above negative j
//	Var(AUC) = S₁₀/W₁ + S₀₁/W₀,  S₁₀ = Σ wᵢ(V₁₀(i) − AUC)²/(W₁ − 1),  S₀₁ likewise
//	AUC ∓ Φ⁻¹((1+level)/2)·√Var, clipped to [0, 1]
//
// Frequency weights are treated as replication counts: the interval equals
// the one of the expanded rows (so weights must count leads, not be
// arbitrary importance weights). NaN, NaN when a class has weight ≤ 1 or the
// level is not in (0,1). Runs in O(n log n).
func AUCConfidence(p, y, w []float64, level float64) (lo, hi float64) {
	if !lengthsOK(p, y, w) || !(level > 0 && level < 1) {
		return math.NaN(), math.NaN()
	}
	groups := tieGroups(p, y, w)
	auc, w1, w0 := aucGroups(groups)
	if math.IsNaN(auc) || w1 <= 1 || w0 <= 1 {
		return math.NaN(), math.NaN()
	}
	// Each row in a tie group has the same structural component.
	v10, v01 := deLongTerms(groups, auc, w1, w0)
	se := math.Sqrt(v10 + v01)
	q := distuv.UnitNormal.Quantile((1 + level) / 2)
	return math.Max(0, auc-q*se), math.Min(1, auc+q*se)
}

// Brier returns the weighted mean squared error of the probabilities,
// Σ wᵢ(pᵢ − yᵢ)² / Σ wᵢ (Brier 1950); 0 is perfect, 0.25 is a coin flip.
func Brier(p, y, w []float64) float64 {
	if !lengthsOK(p, y, w) {
		return math.NaN()
	}
	s, sw := 0.0, 0.0
	for i := range p {
		d := p[i] - y[i]
		s += weightAt(w, i) * d * d
		sw += weightAt(w, i)
	}
	return s / sw
}

// logLossEps bounds probabilities away from 0 and 1 in LogLoss, as
// scikit-learn's log_loss does.
const logLossEps = 1e-15

// LogLoss returns the weighted mean negative log-likelihood per row in nats,
//
//	−Σ wᵢ(yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)) / Σ wᵢ
//
// with pᵢ clipped to [1e−15, 1 − 1e−15] so a confident miss costs about 34.5
// rather than infinity.
func LogLoss(p, y, w []float64) float64 {
	if !lengthsOK(p, y, w) {
		return math.NaN()
	}
	s, sw := 0.0, 0.0
	for i := range p {
		q := math.Min(math.Max(p[i], logLossEps), 1-logLossEps)
		s -= weightAt(w, i) * (y[i]*math.Log(q) + (1-y[i])*math.Log(1-q))
		sw += weightAt(w, i)
	}
	return s / sw
}

// CalibrationBin is one bin of a calibration curve.
type CalibrationBin struct {
	// Lo and Hi are the smallest and largest predicted probability in the bin.
	Lo, Hi float64
	// MeanPredicted is the weighted mean predicted probability in the bin.
	MeanPredicted float64
	// Observed is the weighted share of the bin's rows with outcome 1.
	Observed float64
	// Count is the bin's weight (number of leads).
	Count float64
}

// CalibrationCurve sorts rows by predicted probability and cuts them into
// bins of equal weight (deciles for bins = 10; bins ≤ 0 means 10); rows with
// the same predicted value stay in one bin, so a bin may hold more than its
// share and empty bins are left out. Each bin reports the mean predicted and
// the observed rate: a well-calibrated model has them equal.
func CalibrationCurve(p, y, w []float64, bins int) []CalibrationBin {
	if !lengthsOK(p, y, w) {
		return nil
	}
	if bins <= 0 {
		bins = 10
	}
	idx := sortedIndex(p, false)
	total := 0.0
	for i := range p {
		total += weightAt(w, i)
	}
	if total <= 0 {
		return nil
	}
	out := make([]CalibrationBin, 0, bins)
	cum := 0.0
	bin := -1
	var sp, sy float64
	for r, i := range idx {
		wi := weightAt(w, i)
		// A new bin starts at a new predicted value once the cumulative weight
		// before this row has passed the bin's lower edge.
		if bin < 0 || (p[i] != p[idx[r-1]] && cum >= float64(len(out))*total/float64(bins)) {
			if bin >= 0 {
				finishBin(&out[bin], sp, sy)
			}
			out = append(out, CalibrationBin{Lo: p[i]})
			bin = len(out) - 1
			sp, sy = 0, 0
		}
		b := &out[bin]
		b.Hi = p[i]
		b.Count += wi
		sp += wi * p[i]
		sy += wi * y[i]
		cum += wi
	}
	finishBin(&out[bin], sp, sy)
	// Drop bins of zero weight (rows of weight 0 only).
	kept := out[:0]
	for _, b := range out {
		if b.Count > 0 {
			kept = append(kept, b)
		}
	}
	return kept
}

// finishBin turns the sums of a bin into means.
func finishBin(b *CalibrationBin, sp, sy float64) {
	if b.Count > 0 {
		b.MeanPredicted = sp / b.Count
		b.Observed = sy / b.Count
	}
}

// sortedIndex returns the row order by p, increasing or (desc) decreasing;
// the sort is stable so equal values keep their row order.
func sortedIndex(p []float64, desc bool) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	// Ties keep their order (by index), as a stable sort would keep them;
	// the generic sort is several times faster than sort.SliceStable.
	slices.SortFunc(idx, func(a, b int) int {
		pa, pb := p[a], p[b]
		if desc {
			pa, pb = pb, pa
		}
		switch {
		case pa < pb:
			return -1
		case pa > pb:
			return 1
		}
		return cmp.Compare(a, b)
	})
	return idx
}

// GainsRow is one row of a cumulative gains table.
type GainsRow struct {
	// Fraction is the share of leads taken, highest predicted first, in (0,1].
	Fraction float64
	// CapturedShare is the share of all positives among them, in [0,1].
	CapturedShare float64
	// Lift is CapturedShare/Fraction: how many times the base rate the top
	// Fraction of leads converts at (1 = no better than random).
	Lift float64
}

// Gains returns the cumulative gains table at Fraction = 1/bins, 2/bins, …, 1
// (bins ≤ 0 means 10) with leads sorted by predicted probability, highest
// first. A group of equal predictions that straddles a cut is split
// proportionally (the expected gain under random tie-breaking), so
// Fraction is exact. Nil when there are no positives.
func Gains(p, y, w []float64, bins int) []GainsRow {
	if !lengthsOK(p, y, w) {
		return nil
	}
	if bins <= 0 {
		bins = 10
	}
	groups := tieGroups(p, y, w)
	total, totalPos := 0.0, 0.0
	for _, g := range groups {
		total += g.pos + g.neg
		totalPos += g.pos
	}
	if total <= 0 || totalPos <= 0 {
		return nil
	}
	out := make([]GainsRow, 0, bins)
	gi := len(groups) - 1 // highest first
	taken, captured := 0.0, 0.0
	used := 0.0 // weight of groups[gi] already taken
	for b := 1; b <= bins; b++ {
		target := total * float64(b) / float64(bins)
		for gi >= 0 && taken < target {
			g := groups[gi]
			size := g.pos + g.neg
			rest := size - used
			take := math.Min(rest, target-taken)
			if size > 0 {
				captured += g.pos * take / size
			}
			taken += take
			used += take
			if used >= size {
				gi--
				used = 0
			}
		}
		frac := float64(b) / float64(bins)
		share := captured / totalPos
		out = append(out, GainsRow{Fraction: frac, CapturedShare: share, Lift: share / frac})
	}
	return out
}

// ROCCurve returns the receiver operating characteristic curve from (0,0) to
// (1,1): for each distinct predicted value t (highest first) the share of
// negatives (fpr) and of positives (tpr) with a prediction ≥ t. The first
// point has threshold +Inf. It is thinned to at most maxPoints points, the
// first and last always kept (maxPoints < 2 means no limit). Nil when a class
// is missing.
func ROCCurve(p, y, w []float64, maxPoints int) (fpr, tpr, thresholds []float64) {
	if !lengthsOK(p, y, w) {
		return nil, nil, nil
	}
	groups := tieGroups(p, y, w)
	_, w1, w0 := aucGroups(groups)
	if w1 == 0 || w0 == 0 {
		return nil, nil, nil
	}
	fpr, tpr, thresholds = []float64{0}, []float64{0}, []float64{math.Inf(1)}
	tp, fp := 0.0, 0.0
	for gi := len(groups) - 1; gi >= 0; gi-- {
		tp += groups[gi].pos
		fp += groups[gi].neg
		fpr = append(fpr, fp/w0)
		tpr = append(tpr, tp/w1)
		thresholds = append(thresholds, groups[gi].p)
	}
	if maxPoints < 2 || len(fpr) <= maxPoints {
		return fpr, tpr, thresholds
	}
	n := len(fpr)
	var f, t, th []float64
	for k := 0; k < maxPoints; k++ {
		i := k * (n - 1) / (maxPoints - 1)
		f, t, th = append(f, fpr[i]), append(t, tpr[i]), append(th, thresholds[i])
	}
	return f, t, th
}
