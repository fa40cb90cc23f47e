package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/reports/*.golden from the current output")

// echartsPlaceholder stands for the inlined echarts build in golden files,
// which would otherwise be 1 MB each; TestPagesInlineECharts checks that the
// real pages hold the build verbatim.
const echartsPlaceholder = "/* echarts.min.js 5.4.3 inlined here (reports/assets) */"

// stripECharts replaces the inlined echarts build by echartsPlaceholder.
func stripECharts(t *testing.T, page []byte) []byte {
	t.Helper()
	if n := bytes.Count(page, []byte(echartsJS)); n != 1 {
		t.Fatalf("page holds the echarts build %d times, want 1", n)
	}
	return bytes.Replace(page, []byte(echartsJS), []byte(echartsPlaceholder), 1)
}

// compareGolden compares got with testdata/reports/name, or rewrites the
// file under -update. A mismatch is reported as a line diff.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "reports", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -tags duckdb_arrow ./reports/ -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (refresh with -update if the change is intended):\n%s", name, lineDiff(want, got))
	}
}

// lineDiff shows the lines of want and got that differ, around the first
// difference, with line numbers, and counts the differing lines.
func lineDiff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	first, differing := -1, 0
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g || i >= len(wl) || i >= len(gl) {
			differing++
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return "(no line differs)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d lines differ (want %d lines, got %d); first at line %d:\n", differing, len(wl), len(gl), first+1)
	// Chart options are one long line each: show the part of a long line
	// around its first differing byte.
	from := 0
	if first < len(wl) && first < len(gl) {
		w, g := wl[first], gl[first]
		for from < len(w) && from < len(g) && w[from] == g[from] {
			from++
		}
		from = max(0, from-150)
	}
	clip := func(s string, i int) string {
		if i != first || len(s) <= 300 {
			if len(s) > 300 {
				return s[:300] + "…"
			}
			return s
		}
		end := min(len(s), from+300)
		return "…" + s[min(from, len(s)):end] + "…"
	}
	for i := max(0, first-2); i < min(first+4, max(len(wl), len(gl))); i++ {
		if i < len(wl) {
			fmt.Fprintf(&b, "- %5d %s\n", i+1, clip(wl[i], i))
		}
		if i < len(gl) {
			fmt.Fprintf(&b, "+ %5d %s\n", i+1, clip(gl[i], i))
		}
	}
	return b.String()
}

// fixedOptions are the page options of the golden tests.
var fixedOptions = Options{Title: "", GeneratedAt: "2026-01-05 09:00 UTC"}

func TestGoldenPages(t *testing.T) {
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"funnel.html.golden", func(b *bytes.Buffer) error { return WriteFunnel(b, funnelFixture(), fixedOptions) }},
		{"calibration.html.golden", func(b *bytes.Buffer) error { return WriteCalibration(b, calibrationFixture(), fixedOptions) }},
		{"calibration-no-backtest.html.golden", func(b *bytes.Buffer) error {
			r := calibrationFixture()
			r.Backtest, r.HalfLifeCurve, r.Warnings = nil, nil, nil
			r.Options.HalfLifeMode = "fixed"
			// No rule given: the default value 1 per target and the training
			// target rate per MQL (calibrate.defaultValueCost).
			r.Options.ThresholdRule, r.Threshold.Rule = "expected_value", "expected_value"
			r.Options.Value, r.Options.Cost, r.Options.ValueCostDefault = 1, 0.0812, true
			r.Threshold.ExpectedValue = 14.25
			return WriteCalibration(b, r, Options{Title: "Evidence for Q3 weights", SLADays: 2})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var first, second bytes.Buffer
			if err := tc.write(&first); err != nil {
				t.Fatal(err)
			}
			if err := tc.write(&second); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatalf("two renderings of the same input differ:\n%s", lineDiff(first.Bytes(), second.Bytes()))
			}
			compareGolden(t, tc.name, stripECharts(t, first.Bytes()))
		})
	}
}

func TestPagesInlineECharts(t *testing.T) {
	sums, err := os.ReadFile(filepath.Join("assets", "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(echartsJS))
	want := hex.EncodeToString(sum[:]) + "  echarts.min.js"
	if !strings.Contains(string(sums), want) {
		t.Errorf("embedded echarts.min.js has sha256 %x, not the one in assets/SHA256SUMS", sum)
	}
	for _, bad := range []string{"</script", "<!--", "<script"} {
		if strings.Contains(strings.ToLower(echartsJS), bad) {
			t.Errorf("echarts.min.js contains %q: it cannot be inlined in a <script> element as is", bad)
		}
	}
	if !strings.Contains(echartsJS, `version="5.4.3"`) && !strings.Contains(echartsJS, `"5.4.3"`) {
		t.Error("embedded echarts is not version 5.4.3")
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"funnel":      func(b *bytes.Buffer) error { return WriteFunnel(b, funnelFixture(), Options{}) },
		"calibration": func(b *bytes.Buffer) error { return WriteCalibration(b, calibrationFixture(), Options{}) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		if !strings.Contains(page, "<script>"+echartsJS+"</script>") {
			t.Errorf("%s: echarts build not inlined verbatim in a <script> element", name)
		}
		// Outside the echarts build (whose licence comment and SVG namespace
		// strings hold URLs that are never fetched) nothing may load anything.
		rest := strings.Replace(page, echartsJS, "", 1)
		for _, remote := range []string{"http://", "https://", "<script src", "<link", "<img", "<iframe", "@import", "url("} {
			if strings.Contains(rest, remote) {
				t.Errorf("%s: page outside the echarts build contains %q", name, remote)
			}
		}
	}
}

func TestNilResult(t *testing.T) {
	var b bytes.Buffer
	if err := WriteFunnel(&b, nil, Options{}); !errors.Is(err, ErrNoResult) {
		t.Errorf("WriteFunnel(nil) = %v, want ErrNoResult", err)
	}
	if err := WriteCalibration(&b, nil, Options{}); !errors.Is(err, ErrNoResult) {
		t.Errorf("WriteCalibration(nil) = %v, want ErrNoResult", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes for a nil result", b.Len())
	}
}
