package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLabelsFileErrors: a bad labels file stops calibrate and report before
// any work, with exit code 1 and the file and line named.
func TestLabelsFileErrors(t *testing.T) {
	db := makeDB(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "labels.yaml")
	if err := os.WriteFile(bad, []byte("webinar: Webinar\nwebinar: Webinars\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"calibrate", "--db", db, "--out", filepath.Join(dir, "model.yaml"), "--labels", bad},
		{"report", "--db", db, "--out", filepath.Join(dir, "report.html"), "--labels", bad},
	} {
		code, _, stderr := runCLI(t, args...)
		want := "labels " + bad + ": line 2: \"webinar\" is given twice"
		if code != exitFailure || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and %q", args[0], code, stderr, want)
		}
	}
}
