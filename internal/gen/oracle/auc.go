package oracle

import (
	"math"
	"sort"
)

// AUC returns the area under the ROC curve of scores for the binary labels,
// by the Mann–Whitney statistic: the share of (positive, negative) pairs in
// which the positive scores higher, ties counting ½,
//
//	AUC = (R₊ − n₊(n₊+1)/2) / (n₊ n₋)
//
// with R₊ the sum of the positives' ranks among all scores (tied scores
// share their average rank). It is NaN when the lengths differ, a score is
// NaN or either class is empty.
func AUC(scores []float64, labels []bool) float64 {
	if len(scores) != len(labels) {
		return math.NaN()
	}
	for _, s := range scores {
		if math.IsNaN(s) {
			return math.NaN()
		}
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var rankSum, pos float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 … j
		for k := i; k < j; k++ {
			if labels[idx[k]] {
				rankSum += avg
				pos++
			}
		}
		i = j
	}
	neg := float64(len(scores)) - pos
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}
