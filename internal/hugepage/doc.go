// Package hugepage asks the kernel to back a large slice with transparent
// huge pages (2 MiB) instead of 4 KiB ones, where the kernel leaves that
// to the program (Linux's transparent_hugepage setting "madvise", this
// machine's and many distributions' default).
//
// A slice the Go runtime takes fresh from the kernel is mapped page by
// page as it is first written: one page fault per 4 KiB. On the virtual
// machines funnel is benchmarked on a fault costs about 11 µs, and
// calibrate's 390 MB design matrix at 10M events is 100k of them; backed
// by huge pages, calibrate took 0.90 of its CPU time and 0.94 of its wall
// time (4 paired runs, same model file).
package hugepage
