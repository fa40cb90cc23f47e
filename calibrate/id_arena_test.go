package calibrate

import (
	"strconv"
	"strings"
	"testing"
)

// TestIDArena copies ids across several blocks, an id longer than a block
// and an empty one, and finds every copy intact after all the others.
func TestIDArena(t *testing.T) {
	var a idArena
	var want, got []string
	for i := 0; i < 300000; i++ {
		id := "L" + strconv.Itoa(i)
		switch i {
		case 7:
			id = ""
		case 150000:
			id = strings.Repeat("x", idArenaBlock+3)
		}
		got = append(got, a.clone(id))
		want = append(want, id)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("copy %d: %.20q, want %.20q", i, got[i], want[i])
		}
	}
}
