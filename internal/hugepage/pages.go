package hugepage

// pageSize is the base page size madvise's range is counted in.
const pageSize = 4096

// minBytes is the smallest slice worth advising: below a few huge pages
// the hint saves little and costs a system call.
const minBytes = 8 << 20

// pagesWithin returns the part of the memory [start, start+size) made of
// whole pages: it begins skip bytes after start and is n bytes long, n a
// multiple of pageSize. n is 0 when size is under minBytes.
func pagesWithin(start, size uintptr) (skip, n uintptr) {
	if size < minBytes {
		return 0, 0
	}
	first := (start + pageSize - 1) &^ (pageSize - 1)
	last := (start + size) &^ (pageSize - 1)
	return first - start, last - first
}
