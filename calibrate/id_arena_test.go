package calibrate

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestIDArena copies ids across several blocks, an id longer than a block
// and an empty one, each from one buffer written over for the next id (as
// a batch's memory is, once read), and finds every copy intact after all
// the others.
func TestIDArena(t *testing.T) {
	var a idArena
	var want, got []string
	buf := make([]byte, 0, idArenaBlock+3)
	for i := 0; i < 300000; i++ {
		id := "L" + strconv.Itoa(i)
		switch i {
		case 7:
			id = ""
		case 150000:
			id = strings.Repeat("x", idArenaBlock+3)
		}
		buf = append(buf[:0], id...)
		src := unsafe.String(unsafe.SliceData(buf), len(buf))
		got = append(got, a.clone(src))
		want = append(want, id)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("copy %d: %.20q, want %.20q", i, got[i], want[i])
		}
	}
}
