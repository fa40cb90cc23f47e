//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// TestWriteRemovesStaleTemps: a write of out.html removes the temporary
// files a killed run left for out.html (.out.html.tmp-DIGITS, older than
// this process, not locked) and nothing else: not a younger one, not one a
// running writer holds, not a look-alike name, not a folder.
func TestWriteRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	old := processStart.Add(-time.Hour)
	file := func(name string, mtime time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file(".out.html.tmp-123", old)                           // left by a killed run: removed
	file(".out.html.tmp-4567890", old)                       // another one: removed
	file(".out.html.tmp-456", processStart.Add(time.Second)) // written since we started: kept
	held := file(".out.html.tmp-789", old)                   // a running writer holds it: kept
	f, err := os.Open(held)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lock(f)
	for _, name := range []string{".out.html.tmp-12a", ".out.html.tmp-1.bak", "out.html.tmp-1",
		".other.html.tmp-1", ".out.html.tmp-", ".out.htm.tmp-1", "..out.html.tmp-1"} {
		file(name, old)
	}
	if err := os.Mkdir(filepath.Join(dir, ".out.html.tmp-5"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(dir, ".out.html.tmp-5"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(dir, "out.html"), func(w io.Writer) error {
		_, err := io.WriteString(w, "page")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{"..out.html.tmp-1", ".other.html.tmp-1", ".out.htm.tmp-1", ".out.html.tmp-",
		".out.html.tmp-1.bak", ".out.html.tmp-12a", ".out.html.tmp-456", ".out.html.tmp-5",
		".out.html.tmp-789", "out.html", "out.html.tmp-1"}
	sort.Strings(want)
	if len(got) != len(want) {
		t.Fatalf("folder holds %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("folder holds %q, want %q", got, want)
		}
	}
}
