package queries

import (
	"cmp"
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFeatureSnapshotsTieOrder: leads created at the same moment come in
// lead_id order whatever their order in the table, and undated leads come
// last, in lead_id order too. The queries sort by created_at and rowid; the
// ids here are inserted against their order, across Arrow records (more
// than 2048 rows), so the test fails when the runs are not put in order.
func TestFeatureSnapshotsTieOrder(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	// 3000 leads at 01-02 with ids T2999 … T0000 (descending), then an
	// undated lead Z, a lead A at 01-01 and another undated lead U.
	stmts := []string{
		`INSERT INTO leads SELECT 'T' || lpad(CAST(2999 - i AS VARCHAR), 4, '0'), TIMESTAMP '2025-01-02', 'web' FROM range(3000) r(i)`,
		`INSERT INTO leads VALUES ('Z', NULL, 'web'), ('A', '2025-01-01', 'web'), ('U', NULL, 'web')`,
		// The data ends on 03-01, so every dated lead has its landmarks.
		`INSERT INTO events VALUES ('A', '2025-03-01', 'page_view', NULL)`,
	}
	for _, q := range stmts {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"A"}
	for i := range 3000 {
		want = append(want, "T"+strings.Repeat("0", 4-len(itoa(i)))+itoa(i))
	}
	want = append(want, "U", "Z")

	asOf := time.Time{}
	landmarks := fixtureParams
	asOfSet := fixtureParams
	asOfSet.AsOf = &asOf
	for name, p := range map[string]FeatureParams{"landmarks": landmarks, "as of": asOfSet} {
		var got []string
		err := s.FeatureSnapshots(ctx, p, nil, func(f FeatureSnapshot) error {
			if f.Seq == 0 {
				got = append(got, strings.Clone(f.LeadID))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d leads, first %v, last %v; want %d, first %v, last %v",
				name, len(got), head(got), tail(got), len(want), head(want), tail(want))
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func head(s []string) []string { return s[:min(4, len(s))] }

func tail(s []string) []string { return s[max(0, len(s)-4):] }

// TestSortRuns: sortRuns gives what slices.SortFunc gives, for inputs of
// one run, a few runs (merged, odd and even counts, empty runs at the
// edges) and many runs (sorted afresh), with equal elements in a's order.
func TestSortRuns(t *testing.T) {
	type item struct{ key, seq int }
	byKey := func(a, b item) int { return cmp.Compare(a.key, b.key) }
	rng := rand.New(rand.NewPCG(1, 2))
	for _, runs := range []int{0, 1, 2, 3, 7, mergedRuns, mergedRuns + 1, 500} {
		for _, n := range []int{0, 1, 5, 1000} {
			var s []item
			for r := range runs {
				// run r: ascending keys, some equal to other runs' keys
				k := rng.IntN(50)
				for range n / max(runs, 1) {
					k += rng.IntN(3)
					s = append(s, item{k, r})
				}
			}
			for i := range s {
				s[i].seq = i
			}
			want := slices.Clone(s)
			slices.SortStableFunc(want, byKey)
			got := sortRuns(slices.Clone(s), byKey)
			if runs <= mergedRuns {
				// merged: stable, so the whole order is known
				if !slices.Equal(got, want) {
					t.Errorf("%d runs of %d: got %v, want %v", runs, n, head8(got), head8(want))
				}
				continue
			}
			if !slices.IsSortedFunc(got, byKey) || len(got) != len(want) {
				t.Errorf("%d runs of %d: not sorted: %v", runs, n, head8(got))
			}
		}
	}
}

func head8[T any](s []T) []T { return s[:min(8, len(s))] }
