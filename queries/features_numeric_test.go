package queries

import (
	"context"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestAttributeKinds(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	// minutes: 3 numbers (one padded, one negative), an empty value and
	// "(missing)", an empty field as loads store it (both ignored): numeric. age: 2 numbers and "n/a": not numeric, example
	// "n/a". title: text only. score: "inf" is not a finite number. Nothing
	// of "absent" is stored: no entry.
	setAttributes(t, s,
		[3]any{"L1", "Minutes", "12"}, [3]any{"L2", "minutes", " 3.5 "}, [3]any{"L3", "minutes", "-4"},
		[3]any{"L4", "minutes", ""}, [3]any{"L5", "minutes", "(missing)"},
		[3]any{"L1", "age", "30"}, [3]any{"L2", "age", "n/a"}, [3]any{"L3", "age", "41"},
		[3]any{"L1", "title", "cto"}, [3]any{"L2", "title", "ceo"},
		[3]any{"L1", "score", "inf"}, [3]any{"L2", "score", "1"})
	got, err := s.AttributeKinds(ctx, []string{"MINUTES", "age", "title", "score", "absent"})
	if err != nil {
		t.Fatal(err)
	}
	want := []AttributeKind{
		{Name: "age", Filled: 3, Numbers: 2, TextExample: "n/a"},
		{Name: "minutes", Filled: 3, Numbers: 3},
		{Name: "score", Filled: 2, Numbers: 1, TextExample: "inf"},
		{Name: "title", Filled: 2, Numbers: 0, TextExample: "ceo"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("AttributeKinds = %+v\nwant %+v", got, want)
	}
	numeric := map[string]bool{}
	for _, k := range got {
		numeric[k.Name] = k.Numeric()
	}
	if !numeric["minutes"] || numeric["age"] || numeric["title"] || numeric["score"] {
		t.Errorf("Numeric() = %v, want only minutes", numeric)
	}

	type num struct {
		row  int64
		name string
		v    float64
	}
	var nums []num
	if err := s.FeatureNumbers(ctx, []string{"minutes", "age"}, 1, func(n FeatureNumber) error {
		nums = append(nums, num{n.LeadRow, strings.Clone(n.Name), n.Number})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Slice(nums, func(i, j int) bool {
		if nums[i].name != nums[j].name {
			return nums[i].name < nums[j].name
		}
		return nums[i].row < nums[j].row
	})
	// Rowids in leads: L1 0, L2 1, L3 2, L4 3. "n/a" and "" have no row.
	wantNums := []num{{0, "age", 30}, {2, "age", 41}, {0, "minutes", 12}, {1, "minutes", 3.5}, {2, "minutes", -4}}
	if !reflect.DeepEqual(nums, wantNums) {
		t.Errorf("FeatureNumbers = %v, want %v", nums, wantNums)
	}
}

func TestFeatureValueSums(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	// L1 (created 01-01; snapshots 01-02, 01-08, 01-31): webinar 30 on 01-03
	// and 15 on 01-05, one without a value on 01-06, 100 at 01-08 00:00 (not
	// before the ℓ=7 moment). ℓ=1: nothing (no row, sum 0); ℓ=7: 30+15 = 45;
	// ℓ=30: 145. L3 (created 02-01): a webinar without a value on 02-05:
	// ℓ=7 (02-08) and ℓ=30 have a row with no sum (NaN). page_view values
	// are not asked for.
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO events VALUES
	 ('L1','2025-01-03','webinar',30),('L1','2025-01-05','webinar',15),('L1','2025-01-06','webinar',NULL),
	 ('L1','2025-01-08','webinar',100),('L3','2025-02-05','webinar',NULL),('L1','2025-01-04','page_view',7)`); err != nil {
		t.Fatal(err)
	}
	type sum struct {
		row   int64
		seq   int
		total float64
	}
	read := func(to time.Time) []sum {
		var out []sum
		if err := s.FeatureValueSums(ctx, fixtureParams, []string{"webinar"}, to, func(v FeatureValueSum) error {
			if v.Action != "webinar" {
				t.Errorf("action %q returned", v.Action)
			}
			out = append(out, sum{v.LeadRow, v.Seq, v.Total})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].row*10+int64(out[i].seq) < out[j].row*10+int64(out[j].seq) })
		return out
	}
	got := read(time.Time{})
	nan := math.NaN()
	want := []sum{{0, 1, 45}, {0, 2, 145}, {2, 1, nan}, {2, 2, nan}}
	if len(got) != len(want) {
		t.Fatalf("FeatureValueSums = %v, want %v", got, want)
	}
	for k := range want {
		g, w := got[k], want[k]
		if g.row != w.row || g.seq != w.seq || !(g.total == w.total || math.IsNaN(g.total) && math.IsNaN(w.total)) {
			t.Errorf("row %d: %v, want %v", k, g, w)
		}
	}
	// created_to 2025-01-31 keeps L1 only.
	if got := read(day("2025-01-31")); len(got) != 2 || got[0].row != 0 {
		t.Errorf("with created_to: %v, want L1's two rows", got)
	}
}
