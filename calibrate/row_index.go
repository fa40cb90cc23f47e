package calibrate

import "hash/maphash"

// idIndex finds the first row of a lead id among a Leads' rows: an
// open-addressing hash table of row numbers. At 5M leads it takes 32 MB,
// where a map[string]int32 took about 150 MB and 1.5 s, most of it the
// kernel handing out the map's fresh pages.
type idIndex struct {
	ids   []string
	slots []int32 // row + 1 of the id hashed there; 0 for an empty slot
	mask  uint64
	seed  maphash.Seed
}

// newIDIndex indexes ids; of equal ids the first row is kept.
func newIDIndex(ids []string) *idIndex {
	size := 1
	for size < 2*len(ids) { // at most half full: short probes
		size <<= 1
	}
	x := &idIndex{ids: ids, slots: make([]int32, size), mask: uint64(size - 1), seed: maphash.MakeSeed()}
	for i, id := range ids {
		if i > 0 && ids[i-1] == id {
			continue // a lead's snapshots are consecutive rows
		}
		h := maphash.String(x.seed, id) & x.mask
		for {
			r := x.slots[h]
			if r == 0 {
				x.slots[h] = int32(i + 1)
				break
			}
			if ids[r-1] == id {
				break
			}
			h = (h + 1) & x.mask
		}
	}
	return x
}

// row returns the first row of id, or −1 when no row has it.
func (x *idIndex) row(id string) int32 {
	h := maphash.String(x.seed, id) & x.mask
	for {
		r := x.slots[h]
		if r == 0 {
			return -1
		}
		if x.ids[r-1] == id {
			return r - 1
		}
		h = (h + 1) & x.mask
	}
}
