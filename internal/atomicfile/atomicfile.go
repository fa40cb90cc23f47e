// Package atomicfile writes output files so that they are never seen
// half-written: content goes to a temporary file in the same folder, which is
// synced and renamed over the target only when writing succeeded. A failed or
// cancelled write leaves an existing target untouched.
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
// the files written before it.
func WriteAll(files ...File) (err error) {
	tmps := make([]string, 0, len(files))
	defer func() {
		if err != nil {
			for _, t := range tmps {
				os.Remove(t)
			}
		}
	}()
	for _, f := range files {
		tmp, err := writeTemp(f.Path, f.Write)
		if err != nil {
			return err
		}
		tmps = append(tmps, tmp)
	}
	for i, f := range files {
		if err := os.Rename(tmps[i], f.Path); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	return nil
}

// writeTemp writes a synced temporary file beside path and returns its name;
// on error it removes it.
func writeTemp(path string, write func(w io.Writer) error) (name string, err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	buf := bufio.NewWriterSize(tmp, 1<<20)
	if err = write(buf); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = buf.Flush(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return tmp.Name(), nil
}
