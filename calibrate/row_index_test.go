package calibrate

import (
	"fmt"
	"testing"
)

// TestIDIndex: every id finds its first row (a lead's snapshots are
// consecutive rows; an id may also come back later), ids not among the rows
// find −1, and so does any id in an empty index.
func TestIDIndex(t *testing.T) {
	var ids []string
	first := map[string]int32{}
	add := func(id string) {
		if _, ok := first[id]; !ok {
			first[id] = int32(len(ids))
		}
		ids = append(ids, id)
	}
	for i := range 3000 {
		id := fmt.Sprintf("L%d", i)
		for range 1 + i%3 { // 1 to 3 snapshots
			add(id)
		}
	}
	add("L7")    // again, far from its first rows
	add("")      // an empty id is a key like any other
	add("L2999") // again, right after another lead
	x := newIDIndex(ids)
	for id, want := range first {
		if got := x.row(id); got != want {
			t.Errorf("row(%q) = %d, want %d", id, got, want)
		}
	}
	for _, id := range []string{"L3000", "l1", "L1 ", "M"} {
		if got := x.row(id); got != -1 {
			t.Errorf("row(%q) = %d, want -1", id, got)
		}
	}
	if got := newIDIndex(nil).row("L1"); got != -1 {
		t.Errorf("empty index: row = %d, want -1", got)
	}
}
