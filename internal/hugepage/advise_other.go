//go:build !linux

package hugepage

// Advise does nothing where transparent huge pages are not Linux's: other
// systems choose page sizes themselves.
func Advise[T any](s []T) {}
