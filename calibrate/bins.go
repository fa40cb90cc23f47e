package calibrate

import (
	"math"
	"slices"
	"sort"
)

// Binning of a numeric feature, as credit scorecards do (Siddiqi, Credit
// Risk Scorecards, 2006, ch. 5: "coarse classing"; Zeng, "A necessary
// condition for a good binning algorithm in credit scoring", 2014, for the
// monotone log-odds). A binning is its ascending cut points edges: bin 0
// holds x < edges[0], bin k holds edges[k−1] ≤ x < edges[k], the last bin
// x ≥ edges[len−1]; len(edges)+1 bins.

// Defaults of the binning.
const (
	// MaxBins is the most quantile bins a numeric feature starts with.
	MaxBins = 10
	// MinBinShare is the smallest share of the training leads (missing
	// values included; snapshots for a value:<action> sum) a bin must hold.
	MinBinShare = 0.05
)

// binOf returns the bin of x for the cut points edges.
func binOf(edges []float64, x float64) int {
	return sort.Search(len(edges), func(k int) bool { return x < edges[k] })
}

// quantileEdges returns the cut points of at most maxBins quantile bins of
// the values x (no NaN), each holding at least minCount values:
//
//  1. sort x (n values); the candidate cut k (k = 1 … maxBins−1) is the
//     value at 0-based position ⌈k·n/maxBins⌉ of the sorted values; cuts
//     equal to the smallest value or to an earlier cut are dropped (ties
//     stay in one bin, the upper one);
//  2. while some bin holds fewer than minCount values, the smallest such
//     bin (the leftmost of equals) is merged with its smaller neighbour
//     (the left one of equals) by removing the cut between them.
//
// It returns nil (one bin) when x has fewer than two distinct values or no
// two bins can each hold minCount values.
func quantileEdges(x []float64, maxBins, minCount int) []float64 {
	v := append([]float64(nil), x...)
	sort.Float64s(v)
	n := len(v)
	if n == 0 {
		return nil
	}
	var edges []float64
	for k := 1; k < maxBins; k++ {
		pos := int(math.Ceil(float64(k) * float64(n) / float64(maxBins)))
		if pos >= n {
			break
		}
		c := v[pos]
		if c == v[0] || (len(edges) > 0 && c == edges[len(edges)-1]) {
			continue
		}
		edges = append(edges, c)
	}
	counts := make([]int, len(edges)+1)
	for _, xi := range v {
		counts[binOf(edges, xi)]++
	}
	for len(counts) > 1 {
		small := -1
		for k, c := range counts {
			if c < minCount && (small < 0 || c < counts[small]) {
				small = k
			}
		}
		if small < 0 {
			break
		}
		// Merge bin small with neighbour nb: the cut between them goes.
		nb := small - 1
		if small == 0 || (small+1 < len(counts) && counts[small+1] < counts[small-1]) {
			nb = small + 1
		}
		lo := min(small, nb)
		counts[lo] += counts[lo+1]
		counts = append(counts[:lo+1], counts[lo+2:]...)
		edges = append(edges[:lo], edges[lo+1:]...)
	}
	if len(edges) == 0 {
		return nil
	}
	return edges
}

// binTally is the number of rows and of positive rows in one bin.
type binTally struct{ n, pos float64 }

// tallyBins counts the rows and positives (y = 1) of each bin.
func tallyBins(edges []float64, x, y []float64) []binTally {
	t := make([]binTally, len(edges)+1)
	for i, xi := range x {
		k := binOf(edges, xi)
		t[k].n++
		t[k].pos += y[i]
	}
	return t
}

// mergeMonotone merges adjacent bins of edges until the bins' target rates
// (and so their log-odds) are strictly monotone in x, and no bin is pure
// (all positive or all negative, whose weight would be infinite). It runs
// the pool-adjacent-violators algorithm (Barlow et al., Statistical
// Inference under Order Restrictions, 1972) on the bins' rates, weighted by
// their rows, once for increasing and once for decreasing rates, and keeps
// the direction whose merged bins have the higher binomial log-likelihood
//
//	Σ_bins pos·ln(p) + (n − pos)·ln(1 − p),  p = pos/n
//
// (increasing on a tie). Adjacent bins with equal rates are merged too.
// A pure bin left at an end is then merged with its neighbour. x are the
// training values (no NaN) and y their 0/1 labels.
func mergeMonotone(edges []float64, x, y []float64) []float64 {
	t := tallyBins(edges, x, y)
	up, upEdges := pava(t, edges, true)
	down, downEdges := pava(t, edges, false)
	kept, keptEdges := up, upEdges
	if binLogLik(down) > binLogLik(up) {
		kept, keptEdges = down, downEdges
	}
	return mergePure(kept, keptEdges)
}

// pava pools adjacent bins that violate the order: with increasing, a bin
// whose rate is not above the previous block's joins that block.
func pava(t []binTally, edges []float64, increasing bool) ([]binTally, []float64) {
	var blocks []binTally
	var cuts []float64 // cuts[k] is the lower edge of blocks[k+1]
	for k, b := range t {
		blocks = append(blocks, b)
		if k > 0 {
			cuts = append(cuts, edges[k-1])
		}
		for len(blocks) > 1 {
			a, c := blocks[len(blocks)-2], blocks[len(blocks)-1]
			// rate(a) ≥ rate(c) ⇔ a.pos·c.n ≥ c.pos·a.n (exact on counts).
			violates := a.pos*c.n >= c.pos*a.n
			if !increasing {
				violates = a.pos*c.n <= c.pos*a.n
			}
			if !violates {
				break
			}
			blocks = append(blocks[:len(blocks)-2], binTally{n: a.n + c.n, pos: a.pos + c.pos})
			cuts = cuts[:len(cuts)-1]
		}
	}
	return blocks, cuts
}

// mergePure merges pure bins (no positive or no negative row) with their
// smaller neighbour (the left one of equals) until none is left or one bin
// remains; it returns the cuts (nil for one bin).
func mergePure(t []binTally, edges []float64) []float64 {
	t = append([]binTally(nil), t...)
	edges = append([]float64(nil), edges...)
	for len(t) > 1 {
		k := slices.IndexFunc(t, func(b binTally) bool { return b.pos == 0 || b.pos == b.n })
		if k < 0 {
			break
		}
		nb := k - 1
		if k == 0 || (k+1 < len(t) && t[k+1].n < t[k-1].n) {
			nb = k + 1
		}
		lo := min(k, nb)
		t[lo] = binTally{n: t[lo].n + t[lo+1].n, pos: t[lo].pos + t[lo+1].pos}
		t = append(t[:lo+1], t[lo+2:]...)
		edges = append(edges[:lo], edges[lo+1:]...)
	}
	if len(edges) == 0 {
		return nil
	}
	return edges
}

// binLogLik is the binomial log-likelihood of bins at their own rates.
func binLogLik(t []binTally) float64 {
	ll := 0.0
	for _, b := range t {
		if b.pos > 0 {
			ll += b.pos * math.Log(b.pos/b.n)
		}
		if neg := b.n - b.pos; neg > 0 {
			ll += neg * math.Log(neg/b.n)
		}
	}
	return ll
}
