package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteCreatesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "hello")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "hello" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestFailedWriteKeepsOldFileAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Fatalf("file = %q, want old content", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("dir has %d entries, want 1 (temp file left behind)", len(entries))
	}
}

func TestProduceAll(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	if err := os.WriteFile(a, []byte("old a"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A producer that fails after writing the first file touches no target.
	err := ProduceAll([]string{a, b}, func(tmps []string) error {
		if err := os.WriteFile(tmps[0], []byte("new a"), 0o644); err != nil {
			return err
		}
		return errors.New("second table failed")
	})
	if err == nil {
		t.Fatal("a failing producer reported success")
	}
	if got, _ := os.ReadFile(a); string(got) != "old a" {
		t.Errorf("a = %q after a failed run, want it untouched", got)
	}
	if _, err := os.Stat(b); !os.IsNotExist(err) {
		t.Errorf("b exists after a failed run: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// A producer that succeeds replaces and creates both.
	if err := ProduceAll([]string{a, b}, func(tmps []string) error {
		for i, p := range tmps {
			if err := os.WriteFile(p, []byte(fmt.Sprint("new ", i)), 0o644); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{a, b} {
		if got, _ := os.ReadFile(p); string(got) != fmt.Sprint("new ", i) {
			t.Errorf("%s = %q, want %q", p, got, fmt.Sprint("new ", i))
		}
	}
}

// TestWriteLargeFile writes a file of several writeback stretches in
// writes of odd sizes and reads every byte back as written.
func TestWriteLargeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.bin")
	const size = 3*(32<<20) + 12345
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i*7 + i/4096)
	}
	if err := Write(path, func(w io.Writer) error {
		for rest := want; len(rest) > 0; {
			n := min(len(rest), 1_000_003)
			if _, err := w.Write(rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes, not the %d written", len(got), len(want))
	}
}
