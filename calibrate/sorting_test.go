package calibrate

import (
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
