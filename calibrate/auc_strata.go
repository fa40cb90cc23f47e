package calibrate

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// StratumAUC is the AUC among the rows of one stratum (for landmark
// snapshots: the snapshots taken at one landmark).
type StratumAUC struct {
	// Stratum is the stratum's label.
	Stratum int32
	// N is the weight of the stratum's rows and Positives that of its rows
	// with outcome 1.
	N, Positives float64
	// AUC is the share of the stratum's (positive, negative) pairs ordered
	// correctly, ties ½ (see AUC); NaN when a class is missing.
	AUC float64
	// Lo and Hi bound its DeLong confidence interval (see AUCConfidence);
	// NaN when a class has weight ≤ 1.
	Lo, Hi float64
}

// StrataAUC is the AUC within strata with its confidence interval and the
// result of each stratum.
type StrataAUC struct {
	// AUC is the share of (positive, negative) pairs of the same stratum
	// ordered correctly (see AUCWithin); NaN when no stratum has both classes.
	AUC float64
	// SE is its standard error and Lo, Hi its Wald confidence interval,
	// clipped to [0, 1]; NaN when AUC is.
	SE, Lo, Hi float64
	// Pairs is the weight of the pairs compared, Σ_k W₁ₖ·W₀ₖ.
	Pairs float64
	// Strata are the strata in increasing order of label.
	Strata []StratumAUC
}

// AUCWithin returns the area under the ROC curve counting only pairs of the
// same stratum: the weighted share of (positive, negative) pairs with equal
// strata[i] in which the positive has the higher predicted probability, ties
// counting one half:
//
//	AUC_within = Σ_k Σᵢ∈pos_k Σⱼ∈neg_k wᵢwⱼ([pᵢ > pⱼ] + ½[pᵢ = pⱼ]) / Σ_k W₁ₖW₀ₖ
//
// that is the mean of the strata's AUCs weighted by their pairs W₁ₖW₀ₖ. With
// landmark snapshots as strata, a per-landmark intercept cannot raise it. If
// w is nil then all of the weights are 1; if strata is nil all rows are one
// stratum (and the result is AUC's). NaN on mismatched lengths or when no
// stratum has both classes. Runs in O(n log n).
func AUCWithin(p, y, w []float64, strata []int32) float64 {
	return AUCWithinConfidence(p, y, w, strata, 0.95).AUC
}

// AUCWithinConfidence returns AUCWithin with a Wald confidence interval at the
// given level (e.g. 0.95), and the AUC and DeLong interval of each stratum
// (see AUCConfidence). The variance combines the strata's DeLong variances as
// that of a weighted mean of independent estimates:
//
//	Var = Σ_k (Pₖ/P)²·Varₖ,  Pₖ = W₁ₖW₀ₖ,  P = Σ_k Pₖ
//	Varₖ = S₁₀ₖ/W₁ₖ + S₀₁ₖ/W₀ₖ (DeLong, DeLong & Clarke-Pearson 1988)
//
// Strata are treated as independent. For landmark snapshots that is an
// approximation: one lead has snapshots at several landmarks, so the strata
// share leads and the interval is somewhat too narrow when their errors are
// positively correlated. A class of weight ≤ 1 in a stratum has no sample
// variance and adds none (that stratum's own Lo, Hi are NaN). Frequency
// weights are replication counts, as in AUCConfidence. A level outside (0,1)
// gives NaN bounds; mismatched lengths give AUC NaN and no strata. Rows are
// grouped by stratum and each stratum sorted on its own, in parallel: O(n log n).
func AUCWithinConfidence(p, y, w []float64, strata []int32, level float64) StrataAUC {
	nan := math.NaN()
	out := StrataAUC{AUC: nan, SE: nan, Lo: nan, Hi: nan}
	if !lengthsOK(p, y, w) || (strata != nil && len(strata) != len(p)) {
		return out
	}
	labels, groups := strataGroups(p, y, w, strata)
	q := math.NaN()
	if level > 0 && level < 1 {
		q = distuv.UnitNormal.Quantile((1 + level) / 2)
	}
	sum, variance := 0.0, 0.0
	type part struct{ pairs, auc, variance float64 }
	parts := make([]part, len(labels))
	for s, g := range groups {
		auc, w1, w0 := aucGroups(g)
		v10, v01 := deLongTerms(g, auc, w1, w0)
		st := StratumAUC{Stratum: labels[s], N: w1 + w0, Positives: w1, AUC: auc, Lo: nan, Hi: nan}
		if v := v10 + v01; !math.IsNaN(v) && !math.IsNaN(q) {
			se := math.Sqrt(v)
			st.Lo, st.Hi = math.Max(0, auc-q*se), math.Min(1, auc+q*se)
		}
		out.Strata = append(out.Strata, st)
		if math.IsNaN(auc) {
			continue
		}
		// A class of weight ≤ 1 has no sample variance: it adds none.
		v := 0.0
		if !math.IsNaN(v10) {
			v += v10
		}
		if !math.IsNaN(v01) {
			v += v01
		}
		parts[s] = part{w1 * w0, auc, v}
		out.Pairs += w1 * w0
		sum += w1 * w0 * auc
	}
	if out.Pairs == 0 {
		return out
	}
	for _, pt := range parts {
		f := pt.pairs / out.Pairs
		variance += f * f * pt.variance
	}
	out.AUC = sum / out.Pairs
	out.SE = math.Sqrt(variance)
	if !math.IsNaN(q) {
		out.Lo, out.Hi = math.Max(0, out.AUC-q*out.SE), math.Min(1, out.AUC+q*out.SE)
	}
	return out
}

// deLongTerms returns the two parts of DeLong's variance of the AUC of tie
// groups (increasing p), S₁₀/W₁ and S₀₁/W₀ with
//
//	S₁₀ = Σᵢ∈pos wᵢ(V₁₀(i) − AUC)²/(W₁ − 1),  V₁₀(i) = share of negatives below i (ties ½)
//	S₀₁ = Σⱼ∈neg wⱼ(V₀₁(j) − AUC)²/(W₀ − 1),  V₀₁(j) = share of positives above j (ties ½)
//
// each NaN when its class has weight ≤ 1 or auc is NaN.
func deLongTerms(groups []tieGroup, auc, w1, w0 float64) (v10, v01 float64) {
	if math.IsNaN(auc) {
		return math.NaN(), math.NaN()
	}
	s10, s01 := 0.0, 0.0
	below, above := 0.0, w1
	for _, g := range groups {
		above -= g.pos
		a := (below + g.neg/2) / w0
		b := (above + g.pos/2) / w1
		s10 += g.pos * (a - auc) * (a - auc)
		s01 += g.neg * (b - auc) * (b - auc)
		below += g.neg
	}
	v10, v01 = math.NaN(), math.NaN()
	if w1 > 1 {
		v10 = s10 / (w1 - 1) / w1
	}
	if w0 > 1 {
		v01 = s01 / (w0 - 1) / w0
	}
	return v10, v01
}

// strataGroups returns the distinct strata labels in increasing order and,
// for each, its rows as tie groups in increasing p. Rows are placed by
// stratum with a counting pass (a nil strata is one stratum labelled 0), then
// the strata are sorted in parallel.
func strataGroups(p, y, w []float64, strata []int32) ([]int32, [][]tieGroup) {
	label := func(i int) int32 {
		if strata == nil {
			return 0
		}
		return strata[i]
	}
	index := map[int32]int{}
	var labels []int32
	var counts []int
	last, lastIdx := int32(0), -1
	of := make([]int32, len(p)) // each row's stratum index
	for i := range p {
		l := label(i)
		if lastIdx < 0 || l != last {
			k, ok := index[l]
			if !ok {
				k = len(labels)
				index[l] = k
				labels = append(labels, l)
				counts = append(counts, 0)
			}
			last, lastIdx = l, k
		}
		counts[lastIdx]++
		of[i] = int32(lastIdx)
	}
	// Order the strata by label; offsets into one array of rows.
	order := make([]int, len(labels))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(labels[a], labels[b]) })
	start := make([]int, len(labels))
	at := 0
	for _, k := range order {
		start[k] = at
		at += counts[k]
	}
	rows := make([]tieGroup, len(p))
	fill := append([]int(nil), start...)
	for i, v := range p {
		k := of[i]
		r := &rows[fill[k]]
		fill[k]++
		r.p = v
		if y[i] == 1 {
			r.pos = weightAt(w, i)
		} else {
			r.neg = weightAt(w, i)
		}
	}
	sorted := make([]int32, len(labels))
	groups := make([][]tieGroup, len(labels))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for s, k := range order {
		sorted[s] = labels[k]
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			part := rows[start[k] : start[k]+counts[k]]
			slices.SortFunc(part, func(a, b tieGroup) int { return cmp.Compare(a.p, b.p) })
			groups[s] = mergeTies(part)
		}()
	}
	wg.Wait()
	return sorted, groups
}

// mergeTies merges rows of equal p (sorted) into one group each, in place.
func mergeTies(rows []tieGroup) []tieGroup {
	out := rows[:0]
	for _, g := range rows {
		if n := len(out); n > 0 && out[n-1].p == g.p {
			out[n-1].pos += g.pos
			out[n-1].neg += g.neg
			continue
		}
		out = append(out, g)
	}
	return out
}
