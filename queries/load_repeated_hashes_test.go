package queries

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestHashBucketsRepeated: hashBuckets finds a repeated hash among many
// distinct ones wherever it sits, in any bucket and across batches, also
// when more hashes arrive than it made room for, lists each repeated hash
// once however often it comes, and finds none when all are distinct.
func TestHashBucketsRepeated(t *testing.T) {
	distinct := func(n int, seed uint64) []uint64 {
		r := rand.New(rand.NewPCG(seed, 1))
		seen := map[uint64]bool{}
		out := make([]uint64, 0, n)
		for len(out) < n {
			v := r.Uint64()
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		return out
	}
	many := distinct(100_000, 7)
	with := func(base []uint64, i, j int) []uint64 {
		out := append([]uint64(nil), base...)
		out[j] = out[i]
		return out
	}
	cases := []struct {
		name   string
		room   int64 // the n given to newHashBuckets
		hashes []uint64
		want   []uint64
	}{
		{"none", 0, nil, nil},
		{"one", 1, []uint64{42}, nil},
		{"two equal", 2, []uint64{42, 42}, []uint64{42}},
		{"three equal", 3, []uint64{42, 42, 42}, []uint64{42}},
		{"two repeats", 4, []uint64{1, 2, 1, 2}, []uint64{1, 2}},
		{"zero twice", 2, []uint64{0, 0}, []uint64{0}},
		{"top and bottom bucket", 4, []uint64{0, ^uint64(0), 1, ^uint64(0) - 1}, nil},
		{"distinct", int64(len(many)), many, nil},
		{"first and last", int64(len(many)), with(many, 0, len(many)-1), []uint64{many[0]}},
		{"neighbours", int64(len(many)), with(many, 500, 501), []uint64{many[500]}},
		{"max hash repeated", int64(len(many)), append(append([]uint64(nil), many...), ^uint64(0), ^uint64(0)), []uint64{^uint64(0)}},
		{"more than room, distinct", 1000, many, nil},
		{"more than room, repeated", 1000, with(many, 10, 99_999), []uint64{many[10]}},
	}
	for _, tc := range cases {
		for parts := 1; parts <= 3; parts++ {
			t.Run(fmt.Sprintf("%s/%d parts", tc.name, parts), func(t *testing.T) {
				h := newHashBuckets(tc.room, parts)
				// in batches of 1000, as Arrow delivers them in batches,
				// each to the next part in turn (as the goroutines take them)
				for b, i := 0, 0; i < len(tc.hashes); b, i = b+1, i+1000 {
					h[b%parts].add(tc.hashes[i:min(i+1000, len(tc.hashes))])
				}
				got := repeatedIn(h)
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("repeatedIn() = %v, want %v", got, tc.want)
				}
			})
		}
	}
}
