//go:build unix

package queries

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// lockedByOther reports whether another process holds a POSIX lock on the
// file at path, as DuckDB does on every database file it has open.
func lockedByOther(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: io.SeekStart}
	if err := unix.FcntlFlock(f.Fd(), unix.F_GETLK, &lk); err != nil {
		return false, err
	}
	return lk.Type != unix.F_UNLCK, nil
}
