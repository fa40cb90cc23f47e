//go:build unix

package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// specialFiles makes, in dir, one file of each kind a write must never
// replace, and returns their paths by kind with a check that each is still
// what it was. The device node (a copy of /dev/null's numbers, made in dir,
// never /dev/null itself) needs root; without it that case is left out.
func specialFiles(t *testing.T, dir string) map[string]func() error {
	t.Helper()
	out := map[string]func() error{}
	sub := filepath.Join(dir, "folder")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "inside.txt"), []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	out[sub] = func() error {
		b, err := os.ReadFile(filepath.Join(sub, "inside.txt"))
		if err != nil || string(b) != "inside" {
			return errors.New("folder changed")
		}
		return isMode(sub, os.ModeDir)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	out[fifo] = func() error { return isMode(fifo, os.ModeNamedPipe) }
	target := filepath.Join(dir, "target.txt")
	if err := os.WriteFile(target, []byte("target"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	out[link] = func() error {
		if to, err := os.Readlink(link); err != nil || to != target {
			return errors.New("link changed")
		}
		if b, err := os.ReadFile(target); err != nil || string(b) != "target" {
			return errors.New("link target changed")
		}
		return nil
	}
	dev := filepath.Join(dir, "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		out[dev] = func() error { return isMode(dev, os.ModeDevice|os.ModeCharDevice) }
	} else {
		t.Logf("no device node case: mknod: %v (needs root)", err)
	}
	return out
}

func isMode(path string, want os.FileMode) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode().Type() != want {
		return errors.New(path + " is now " + fi.Mode().Type().String())
	}
	return nil
}

// TestNeverReplacesNonRegular: Write, WriteAll and Produce refuse a target
// that is a folder, a FIFO, a symbolic link or a device, with an error
// wrapping ErrNotRegular naming what it is; the target stays what it was,
// the other outputs of a WriteAll are not touched and no temporary file is
// left.
func TestNeverReplacesNonRegular(t *testing.T) {
	dir := t.TempDir()
	files := specialFiles(t, dir)
	wantKind := map[string]string{"folder": "a directory", "pipe": "a named pipe (FIFO)", "link": "a symbolic link", "null": "a character device"}
	text := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	other := filepath.Join(dir, "other.txt")
	for path, unchanged := range files {
		for _, how := range []string{"Write", "WriteAll", "Produce"} {
			t.Run(filepath.Base(path)+"/"+how, func(t *testing.T) {
				if err := os.WriteFile(other, []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
				var err error
				switch how {
				case "Write":
					err = Write(path, text)
				case "WriteAll":
					err = WriteAll(File{other, text}, File{path, text})
				case "Produce":
					err = Produce(path, func(tmp string) error { return os.WriteFile(tmp, []byte("new"), 0o644) })
				}
				if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), wantKind[filepath.Base(path)]) {
					t.Fatalf("err = %v, want %s, not a regular file", err, wantKind[filepath.Base(path)])
				}
				if err := unchanged(); err != nil {
					t.Error(err)
				}
				if b, _ := os.ReadFile(other); string(b) != "old" {
					t.Errorf("other output of the same WriteAll changed to %q", b)
				}
				if names := temps(t, dir); len(names) > 0 {
					t.Errorf("left %v", names)
				}
			})
		}
	}
}

// TestCheckTargetRegular: a missing path and a regular file are fine.
func TestCheckTargetRegular(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{f, filepath.Join(dir, "missing")} {
		if err := CheckTarget(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// TestProduce: the file produce writes at the temporary path becomes the
// target; a failing produce leaves the old target and no temporary file.
func TestProduce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.parquet")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Produce(path, func(tmp string) error {
		if !isTempName(filepath.Base(tmp), "out.parquet") {
			t.Errorf("temporary name %s", tmp)
		}
		os.WriteFile(tmp, []byte("half"), 0o644)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("failed produce changed the target to %q", b)
	}
	if err := Produce(path, func(tmp string) error { return os.WriteFile(tmp, []byte("new"), 0o600) }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "new" || err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("target %q, mode %v, %v", b, fi.Mode(), err)
	}
	if names := temps(t, dir); len(names) > 0 {
		t.Errorf("left %v", names)
	}
}
