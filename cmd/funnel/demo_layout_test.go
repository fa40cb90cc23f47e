package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/internal/pagecheck"
)

// TestDemoPagesTextsDoNotOverlap writes the demo's pages and measures them
// in headless Chromium at a desktop width and at print width: no two texts
// of a chart (titles, subtitles, axis names, labels, marks) may overlap.
func TestDemoPagesTextsDoNotOverlap(t *testing.T) {
	if testing.Short() {
		t.Skip("demo runs the whole pipeline; browser test")
	}
	exe, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not found and CI is set")
		}
		t.Skip("chromium not found")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := runCLI(t, "demo", "--dir", dir); code != exitOK {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	for _, name := range []string{"report.html", "calibration.html"} {
		for _, width := range []int{1440, 800} {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			cs, err := pagecheck.Texts(ctx, exe, filepath.Join(dir, name), width, t.TempDir())
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range pagecheck.Overlaps(cs) {
				t.Errorf("%s at %d px: %s", name, width, o)
			}
		}
	}
}
