package calibrate

import "unsafe"

// idArenaBlock is the size of an idArena's blocks.
const idArenaBlock = 1 << 20

// idArena copies strings into large shared blocks: the lead ids of a
// Leads, kept as long as the Leads. At 5M leads a copy each was 5M small
// objects for the allocator to hand out and the garbage collector to mark
// in every cycle; in blocks of 1 MiB they are a few dozen.
type idArena struct {
	block []byte
}

// clone returns a copy of s that shares a block with other copies. The
// bytes behind a copy are never written again: a block only grows into
// its free capacity.
func (a *idArena) clone(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > cap(a.block)-len(a.block) {
		a.block = make([]byte, 0, max(idArenaBlock, len(s)))
	}
	start := len(a.block)
	a.block = append(a.block, s...)
	return unsafe.String(&a.block[start], len(s))
}
