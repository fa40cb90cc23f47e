package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// processStart is when this process started (package initialisation); set
// once, never changed. A temporary file last modified after it may belong to
// a run that is still writing, so removeStale leaves it.
var processStart = time.Now()

// tempPrefix is the start of the name of every temporary file written for
// path: ".NAME.tmp-", followed by the digits os.CreateTemp chooses.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp-"
}

// isTempName reports whether name is a temporary file name of target base
// name: exactly ".BASE.tmp-" followed by one or more digits.
func isTempName(name, base string) bool {
	rest, ok := strings.CutPrefix(name, "."+base+".tmp-")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// removeStale removes the temporary files of path that a killed run left in
// its folder: regular files named exactly .NAME.tmp-DIGITS, last modified
// before this process started and not locked by a running writer (on Unix;
// elsewhere it removes nothing). Nothing else is touched; errors are
// ignored, since a leftover is only litter.
func removeStale(path string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !isTempName(e.Name(), base) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(processStart) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if tryLock(f) {
			os.Remove(p)
		}
		f.Close()
	}
}
