package calibrate

import (
	"cmp"
	"slices"
)

// kthSmallest returns the k-th smallest value of v (k from 0), as v sorted
// ascending would hold at index k, reordering v. It runs in linear time on
// average, where sorting runs in n·log n: the 99th percentile of an action's
// values is one value of a few hundred thousand. The three-way partition
// keeps runs of equal values (whole counts of an undecayed action) from
// slowing it down; the pivot is the median of the first, middle and last.
func kthSmallest(v []float64, k int) float64 {
	lo, hi := 0, len(v)
	for hi-lo > 1 {
		a, b, c := v[lo], v[lo+(hi-lo)/2], v[hi-1]
		pivot := max(min(a, b), min(max(a, b), c))
		// v[lo:lt] < pivot, v[lt:i] == pivot, v[gt:hi] > pivot.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch x := v[i]; {
			case x < pivot:
				v[lt], v[i] = v[i], v[lt]
				lt++
				i++
			case x > pivot:
				gt--
				v[gt], v[i] = v[i], v[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return pivot
		}
	}
	return v[lo]
}

// sortMostlyZero returns v sorted as slices.Sort sorts it, sorting only its
// values other than 0 and putting the zeros back between the negatives and
// the positives: an action's decayed values are mostly zeros (80–98% of the
// training snapshots at 10M events). The result may share v's memory.
func sortMostlyZero(v []float64) []float64 {
	rest := v[:0]
	zeros := 0
	for _, x := range v {
		if x == 0 {
			zeros++
		} else {
			rest = append(rest, x)
		}
	}
	if zeros == 0 {
		slices.Sort(v)
		return v
	}
	slices.Sort(rest)
	at, _ := slices.BinarySearchFunc(rest, 0.0, cmp.Compare[float64])
	out := make([]float64, 0, len(v))
	out = append(out, rest[:at]...)
	for range zeros {
		out = append(out, 0)
	}
	return append(out, rest[at:]...)
}
