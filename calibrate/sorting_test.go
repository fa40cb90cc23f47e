package calibrate

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKthSmallest compares every rank of several shapes of input (random,
// sorted, reversed, few distinct values, one value) with a sorted copy.
func TestKthSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1))
	shapes := map[string]func(i int) float64{
		"random":   func(int) float64 { return r.NormFloat64() },
		"sorted":   func(i int) float64 { return float64(i) },
		"reversed": func(i int) float64 { return float64(-i) },
		"few":      func(int) float64 { return float64(r.IntN(3)) },
		"constant": func(int) float64 { return 2.5 },
	}
	for name, gen := range shapes {
		for _, n := range []int{1, 2, 3, 10, 101} {
			v := make([]float64, n)
			for i := range v {
				v[i] = gen(i)
			}
			want := slices.Clone(v)
			slices.Sort(want)
			for k := range n {
				if got := kthSmallest(slices.Clone(v), k); got != want[k] {
					t.Fatalf("%s n=%d: kthSmallest(k=%d) = %v, want %v", name, n, k, got, want[k])
				}
			}
		}
	}
}

// TestSortMostlyZero compares sortMostlyZero with slices.Sort on values
// with many zeros (both signs of zero), negatives, positives and NaNs.
func TestSortMostlyZero(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 3))
	for _, n := range []int{0, 1, 5, 100, 1000} {
		for _, zeroShare := range []float64{0, 0.5, 0.95, 1} {
			v := make([]float64, n)
			for i := range v {
				switch u := r.Float64(); {
				case u < zeroShare/2:
					v[i] = 0
				case u < zeroShare:
					v[i] = math.Copysign(0, -1)
				case u < zeroShare+(1-zeroShare)*0.05:
					v[i] = math.NaN()
				default:
					v[i] = r.NormFloat64()
				}
			}
			want := slices.Clone(v)
			slices.Sort(want)
			got := sortMostlyZero(slices.Clone(v))
			if len(got) != len(want) {
				t.Fatalf("n=%d zeros=%g: %d values back, want %d", n, zeroShare, len(got), len(want))
			}
			for i := range want {
				if cmp.Compare(got[i], want[i]) != 0 {
					t.Fatalf("n=%d zeros=%g: at %d got %v, want %v", n, zeroShare, i, got[i], want[i])
				}
			}
		}
	}
}
