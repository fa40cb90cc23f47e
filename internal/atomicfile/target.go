package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by the errors of CheckTarget, Write, WriteAll and
// Produce for a target that exists and is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// CheckTarget returns nil when path does not exist or is a regular file.
// Otherwise it returns an error wrapping ErrNotRegular that says what path
// is: a directory, a symbolic link (never followed: writing through a link
// is refused, so the link stays a link), a device, a named pipe (FIFO) or a
// socket. Writing funnel's outputs never replaces such a file.
func CheckTarget(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode().IsRegular() {
		return nil
	}
	return fmt.Errorf("%s is %s, %w", path, kind(fi.Mode()), ErrNotRegular)
}

// kind names the type of a file that is not regular.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}
