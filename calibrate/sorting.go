package calibrate

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
