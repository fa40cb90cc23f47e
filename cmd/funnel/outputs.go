package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/funnel-dev/funnel/internal/atomicfile"
)

// outputsHelp is the paragraph on output files that every command writing
// files has in its --help.
const outputsHelp = `
Output files are written to a hidden temporary file (.NAME.tmp-DIGITS) in the
same folder and renamed over the target when complete; a leftover of a
killed run is removed by the next run writing the same file. An output path
that is the database (or its .wal), an input of the command, another output
of the command, a directory, a device, a named pipe or a symbolic link is
refused before any work, with exit code 1: a symbolic link is never written
through (name the file it points to), and nothing but a regular file is
ever replaced.`

// pathFlag is a path given to a flag: an input a command reads or an output
// it writes.
type pathFlag struct {
	flag string // the flag as typed, e.g. "--out"
	path string // empty: the flag was not given
	// what names an input in messages, e.g. "the database given to --db";
	// empty: "the file given to FLAG".
	what string
}

// dbInputs are the files of the workspace db that no output may be: the
// database and DuckDB's write-ahead log beside it.
func dbInputs(db string) []pathFlag {
	return []pathFlag{
		{flag: "--db", path: db, what: "the database given to --db"},
		{flag: "--db", path: db + ".wal", what: "the write-ahead log of the database given to --db"},
	}
}

// checkOutputs is the one check every command runs on its output paths
// before doing any work. It returns an error naming the flag and the path
// of the first output that
//   - exists and is not a regular file: a directory, a device, a named pipe,
//     a socket or a symbolic link (refused, never written through);
//   - is one of inputs;
//   - is the same file as an earlier output.
//
// Two paths are the same file when their absolute paths, cleaned and with
// the folder's symbolic links resolved, are equal, or when both exist and
// os.SameFile says so: ./x and x, dir/../x, a hard link and a symbolic
// link to an input all count. Outputs and inputs with an empty path are
// skipped.
func checkOutputs(inputs, outputs []pathFlag) error {
	ins := make([]fileID, len(inputs))
	for i, in := range inputs {
		ins[i] = identify(in.path)
	}
	var seen []fileID
	var seenFlags []pathFlag
	for _, out := range outputs {
		if out.path == "" {
			continue
		}
		if err := atomicfile.CheckTarget(out.path); err != nil {
			if errors.Is(err, atomicfile.ErrNotRegular) {
				return fmt.Errorf("%s %w; outputs must be regular files (a symbolic link is not followed: name the file it points to)", out.flag, err)
			}
			return fmt.Errorf("%s %s: %w", out.flag, out.path, err)
		}
		id := identify(out.path)
		for i, in := range inputs {
			if in.path != "" && id.same(ins[i]) {
				what := in.what
				if what == "" {
					what = "the file given to " + in.flag
				}
				return fmt.Errorf("%s %s is %s; funnel never writes over its inputs: choose another path", out.flag, out.path, what)
			}
		}
		for i, s := range seen {
			if id.same(s) {
				return fmt.Errorf("%s %s is the same file as %s %s; give each output its own path", out.flag, out.path, seenFlags[i].flag, seenFlags[i].path)
			}
		}
		seen = append(seen, id)
		seenFlags = append(seenFlags, out)
	}
	return nil
}

// checkOutputDir refuses, naming flag, a dir that exists and is not a
// directory (a symbolic link to one is fine: the files in it are checked).
func checkOutputDir(flag, dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s %s is not a directory; name a folder to write into", flag, dir)
	}
	return nil
}

// fileID is what tells whether two paths are the same file.
type fileID struct {
	abs string      // absolute, cleaned, folder's symbolic links resolved
	fi  os.FileInfo // nil when the file does not exist (or cannot be read)
}

// identify returns the fileID of path. Stat follows a final symbolic link,
// so an input given through a link is identified with its target.
func identify(path string) fileID {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(dir, filepath.Base(abs))
	}
	fi, err := os.Stat(path)
	if err != nil {
		fi = nil
	}
	return fileID{abs: abs, fi: fi}
}

// same reports whether a and b are the same file.
func (a fileID) same(b fileID) bool {
	return a.abs == b.abs || (a.fi != nil && b.fi != nil && os.SameFile(a.fi, b.fi))
}
