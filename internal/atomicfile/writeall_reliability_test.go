package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteAll: every file written, or — when one fails, whether in its
// content or because its folder is missing — none of the targets touched
// and no temporary file left.
func TestWriteAll(t *testing.T) {
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	boom := errors.New("boom")
	for _, c := range []struct {
		name    string
		failing File // the last file; its Path is relative to the test folder
		wantErr error
	}{
		{"all written", File{Path: "c.txt", Write: text("new c")}, nil},
		{"last content fails", File{Path: "c.txt", Write: func(w io.Writer) error { io.WriteString(w, "half"); return boom }}, boom},
		{"last folder missing", File{Path: filepath.Join("no-such-folder", "c.txt"), Write: text("new c")}, os.ErrNotExist},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
			if err := os.WriteFile(a, []byte("old a"), 0o644); err != nil {
				t.Fatal(err)
			}
			last := c.failing
			last.Path = filepath.Join(dir, last.Path)
			err := WriteAll(File{a, text("new a")}, File{b, text("new b")}, last)
			if !errors.Is(err, c.wantErr) && !(c.wantErr == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			gotA, _ := os.ReadFile(a)
			_, errB := os.Stat(b)
			if c.wantErr == nil {
				gotC, _ := os.ReadFile(last.Path)
				if string(gotA) != "new a" || errB != nil || string(gotC) != "new c" {
					t.Errorf("a %q, b %v, c %q; want all new", gotA, errB, gotC)
				}
			} else if string(gotA) != "old a" || errB == nil {
				t.Errorf("after the failure: a %q (want old a), b exists %v (want not)", gotA, errB == nil)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("left %s", e.Name())
				}
			}
		})
	}
}
