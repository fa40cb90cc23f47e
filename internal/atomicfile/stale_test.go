package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWithScratch: the scratch file is a temporary file of the target,
// holds what write wrote while use runs, and is gone afterwards, whether
// use succeeds or fails.
func TestWithScratch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "scores.parquet")
	boom := io.ErrUnexpectedEOF
	for _, fail := range []bool{false, true} {
		err := WithScratch(path, func(w io.Writer) error {
			_, err := io.WriteString(w, "lead_id\nL1\n")
			return err
		}, func(scratch string) error {
			if !isTempName(filepath.Base(scratch), "scores.parquet") || filepath.Dir(scratch) != dir {
				t.Errorf("scratch %s is not a temporary file of %s", scratch, path)
			}
			if b, err := os.ReadFile(scratch); err != nil || string(b) != "lead_id\nL1\n" {
				t.Errorf("scratch holds %q, %v", b, err)
			}
			if fail {
				return boom
			}
			return nil
		})
		if (err != nil) != fail {
			t.Errorf("fail %v: err = %v", fail, err)
		}
		if names := temps(t, dir); len(names) > 0 {
			t.Errorf("fail %v: left %v", fail, names)
		}
	}
}

// temps lists the temporary files (".tmp-" in the name) in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			names = append(names, e.Name())
		}
	}
	return names
}
