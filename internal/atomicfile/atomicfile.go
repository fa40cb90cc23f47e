// Package atomicfile writes output files so that they are never seen
// half-written: content goes to a temporary file in the same folder, which is
// synced and renamed over the target only when writing succeeded. A failed or
// cancelled write leaves an existing target untouched.
//
// A target that exists must be a regular file: a directory, a device, a
// named pipe, a socket or a symbolic link is never replaced (CheckTarget).
// The temporary file is named .NAME.tmp-DIGITS; one left behind by a killed
// run is removed by the next write of the same target (see removeStale).
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates path with the content that write produces. If write returns
// an error, the temporary file is removed, the error is returned and path is
// left as it was.
func Write(path string, write func(w io.Writer) error) error {
	return WriteAll(File{Path: path, Write: write})
}

// File is one output of WriteAll: where it goes and what writes its content.
type File struct {
	Path  string
	Write func(w io.Writer) error
}

// WriteAll writes several files as one output: each is written to a
// temporary file in its folder, and only when every one was written are
// they renamed over their targets, in order. If any write fails, every
// temporary file is removed and no target is touched, so a failed run
// (a missing folder for the last file, a rendering error) never replaces
// the files written before it. A target that exists and is not a regular
// file is refused before anything is written (CheckTarget).
func WriteAll(files ...File) (err error) {
	for _, f := range files {
		if err := CheckTarget(f.Path); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	tmps := make([]*temp, 0, len(files))
	defer func() {
		for _, t := range tmps {
			t.close()
			if err != nil {
				os.Remove(t.name)
			}
		}
	}()
	for _, f := range files {
		t, err := newTemp(f.Path)
		if err != nil {
			return err
		}
		tmps = append(tmps, t)
		if err := t.fill(f.Write); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	for i, f := range files {
		if err := tmps[i].commit(f.Path); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	return nil
}

// Produce creates path with a file that produce writes itself at the
// temporary path it is given (a DuckDB COPY, say), with the guarantees of
// Write: on error the temporary file is removed and path is left as it was.
func Produce(path string, produce func(tmpPath string) error) (err error) {
	if err := CheckTarget(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	t, err := newTemp(path)
	if err != nil {
		return err
	}
	defer func() {
		t.close()
		if err != nil {
			os.Remove(t.name)
		}
	}()
	if err := produce(t.name); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// produce may have replaced the file: sync it by its name.
	if err := syncByName(t.name); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := t.commit(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// temp is a temporary file beside a target, held open (and, on Unix,
// locked) until it is renamed over the target or removed, so that
// removeStale of a concurrent run never takes it for a leftover.
type temp struct {
	f    *os.File // nil once closed
	name string
}

// newTemp removes stale temporary files of path, then creates and locks a
// new one beside it.
func newTemp(path string) (*temp, error) {
	dir := filepath.Dir(path)
	removeStale(path)
	f, err := os.CreateTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	lock(f) // best effort: a file system without locks leaves only the age rule
	return &temp{f: f, name: f.Name()}, nil
}

// fill writes the content through a buffer and syncs it; on Linux the
// writing out to disk starts as the content comes (newWriteback).
func (t *temp) fill(write func(w io.Writer) error) error {
	buf := bufio.NewWriterSize(newWriteback(t.f), 1<<20)
	if err := write(buf); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	return t.f.Sync()
}

// commit makes the temporary file readable by all and renames it over
// target, checking once more that target is not (now) something other than
// a regular file.
func (t *temp) commit(target string) error {
	if err := os.Chmod(t.name, 0o644); err != nil {
		return err
	}
	if err := CheckTarget(target); err != nil {
		return err
	}
	if closeBeforeRename {
		if err := t.close(); err != nil {
			return err
		}
	}
	return os.Rename(t.name, target)
}

// close closes the file once; it releases the lock.
func (t *temp) close() error {
	if t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f = nil
	return err
}

// WithScratch writes an intermediate file for path — content that another
// step reads to produce path, such as a CSV that DuckDB turns into the
// Parquet file at path — then calls use with its name, and removes it.
// The scratch file is a temporary file of path (.NAME.tmp-DIGITS beside
// it, locked while in use), so one a killed run leaves is removed by the
// next write of path like any other leftover.
func WithScratch(path string, write func(w io.Writer) error, use func(scratchPath string) error) (err error) {
	t, err := newTemp(path)
	if err != nil {
		return err
	}
	defer func() {
		t.close()
		os.Remove(t.name)
	}()
	buf := bufio.NewWriterSize(t.f, 1<<20)
	if err := write(buf); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	return use(t.name)
}

// ProduceAll creates several files as one output, each written by produce
// at the temporary path given for it (tmpPaths[i] for paths[i]; a DuckDB
// COPY, say): only when produce has returned without error are they synced
// and renamed over their targets, in order. On error every temporary file
// is removed and no target is touched. Targets are checked as by WriteAll.
func ProduceAll(paths []string, produce func(tmpPaths []string) error) (err error) {
	for _, p := range paths {
		if err := CheckTarget(p); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	tmps := make([]*temp, 0, len(paths))
	defer func() {
		for _, t := range tmps {
			t.close()
			if err != nil {
				os.Remove(t.name)
			}
		}
	}()
	names := make([]string, len(paths))
	for i, p := range paths {
		t, err := newTemp(p)
		if err != nil {
			return err
		}
		tmps = append(tmps, t)
		names[i] = t.name
	}
	if err := produce(names); err != nil {
		return err
	}
	for i, p := range paths {
		if err := syncByName(tmps[i].name); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	for i, p := range paths {
		if err := tmps[i].commit(p); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	return nil
}

// syncByName syncs the file at name to disk (a producer may have replaced
// the file the temp was opened as).
func syncByName(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
