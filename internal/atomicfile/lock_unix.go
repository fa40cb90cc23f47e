//go:build unix

package atomicfile

import (
	"os"
	"syscall"
)

// closeBeforeRename is false on Unix: a temporary file stays open, and so
// locked, until it has been renamed over its target.
const closeBeforeRename = false

// lock takes an exclusive flock on f, held until f is closed (or the
// process dies), marking the temporary file as being written.
func lock(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// tryLock reports whether an exclusive flock on f could be taken: no
// running process is writing the file.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
