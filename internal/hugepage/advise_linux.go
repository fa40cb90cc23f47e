package hugepage

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Advise asks for huge pages for the memory of s, best effort: it is
// called right after s is made, before s is written, and an error (a
// kernel without transparent huge pages) changes nothing but speed. Only
// the whole 4 KiB pages inside s are advised (see pagesWithin), so no
// memory outside s is touched; slices under minBytes are left alone.
func Advise[T any](s []T) {
	size := uintptr(len(s)) * unsafe.Sizeof(*new(T))
	start := unsafe.Pointer(unsafe.SliceData(s))
	skip, n := pagesWithin(uintptr(start), size)
	if n == 0 {
		return
	}
	_ = unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(start, skip)), n), unix.MADV_HUGEPAGE)
}
