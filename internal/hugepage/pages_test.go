package hugepage

import "testing"

// TestPagesWithin: the advised range starts at the first page boundary at
// or after the slice's start, ends at the last one at or before its end,
// and is empty for slices under minBytes.
func TestPagesWithin(t *testing.T) {
	const mb = 1 << 20
	cases := []struct {
		name        string
		start, size uintptr
		skip, n     uintptr
	}{
		{"aligned", 0x10000, 16 * mb, 0, 16 * mb},
		{"start inside a page", 0x10010, 16 * mb, 0xff0, 16*mb - 0x1000},
		{"end inside a page", 0x10000, 16*mb + 100, 0, 16 * mb},
		{"both inside", 0x10001, 16*mb + 0x1000, 0xfff, 16 * mb},
		{"too small", 0x10000, minBytes - 1, 0, 0},
		{"empty", 0, 0, 0, 0},
	}
	for _, c := range cases {
		skip, n := pagesWithin(c.start, c.size)
		if skip != c.skip || n != c.n {
			t.Errorf("%s: pagesWithin(%#x, %d) = %#x, %d; want %#x, %d", c.name, c.start, c.size, skip, n, c.skip, c.n)
		}
	}
}

// TestAdviseKeepsContents: advising a slice, aligned or not, large or
// small, leaves every value written to it readable as written.
func TestAdviseKeepsContents(t *testing.T) {
	big := make([]uint64, 3<<20) // 24 MiB
	for _, s := range [][]uint64{big, big[1:], big[:1000], nil} {
		Advise(s)
		for i := range s {
			s[i] = uint64(i) * 7
		}
		for i, v := range s {
			if v != uint64(i)*7 {
				t.Fatalf("value %d reads %d after Advise", i, v)
			}
		}
	}
}
