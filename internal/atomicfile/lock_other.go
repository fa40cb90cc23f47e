//go:build !unix

package atomicfile

import "os"

// closeBeforeRename is true where an open file cannot be renamed.
const closeBeforeRename = true

// lock does nothing where flock is not available.
func lock(*os.File) {}

// tryLock reports false where flock is not available: without a way to
// tell a running writer's file from a leftover, nothing is removed.
func tryLock(*os.File) bool { return false }
