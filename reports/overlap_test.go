package reports

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/analysis"
	"github.com/funnel-dev/funnel/internal/pagecheck"
)

// overlapWidths are the window widths a page is measured at: a desktop
// screen and about the width of a printed A4 page.
var overlapWidths = []int{1440, 800}

// textOverlaps opens the page at path at each of overlapWidths and returns
// every overlap of two texts of a chart, each prefixed with the width.
func textOverlaps(t *testing.T, path string) []string {
	t.Helper()
	exe := chromiumPath(t)
	var out []string
	for _, w := range overlapWidths {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cs, err := pagecheck.Texts(ctx, exe, path, w, t.TempDir())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		texts := 0
		for _, c := range cs {
			texts += len(c.Boxes)
		}
		if texts == 0 {
			t.Fatalf("%s at %d px: no chart text measured", path, w)
		}
		for _, o := range pagecheck.Overlaps(cs) {
			out = append(out, fmt.Sprintf("%d px: %s", w, o))
		}
	}
	return out
}

// longNamesFixture is the funnel fixture with 50 channels and 40 actions,
// all with long names, for the layout tests.
func longNamesFixture() *analysis.Report {
	r := bigFunnelFixture(50, 40)
	for i := range r.ByChannel {
		r.ByChannel[i].Channel = fmt.Sprintf("Partner referral programme, EMEA enterprise accounts, wave %02d", i)
	}
	for i := range r.TimeInStage.ByChannel {
		r.TimeInStage.ByChannel[i].Channel = fmt.Sprintf("Partner referral programme, EMEA enterprise accounts, wave %02d", i)
	}
	for i := range r.ByAction {
		r.ByAction[i].Action = fmt.Sprintf("downloaded_the_annual_industry_benchmark_report_%02d", i)
	}
	return r
}

func TestChartTextsDoNotOverlapFunnel(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: slow")
	}
	for name, r := range map[string]*analysis.Report{"fixture": funnelFixture(), "long names, 50 channels": longNamesFixture()} {
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, "funnel.html", func(b *bytes.Buffer) error {
				return WriteFunnel(b, r, Options{GeneratedAt: "2026-01-05 09:00 UTC"})
			})
			if o := textOverlaps(t, path); len(o) > 0 {
				t.Errorf("%d overlapping chart texts:\n%s", len(o), strings.Join(o, "\n"))
			}
		})
	}
}

// TestChartTextsDoNotOverlapCalibration runs the same check on the evidence
// page.
func TestChartTextsDoNotOverlapCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: slow")
	}
	path := writeTemp(t, "calibration.html", func(b *bytes.Buffer) error {
		return WriteCalibration(b, calibrationFixture(), Options{GeneratedAt: "2026-01-05 09:00 UTC"})
	})
	if o := textOverlaps(t, path); len(o) > 0 {
		t.Errorf("%d overlapping chart texts:\n%s", len(o), strings.Join(o, "\n"))
	}
}

// TestOverlapCheckCatchesFaults is the negative control: a chart whose
// y-axis name sits on its subtitle (the fault issue 14 found) and one whose
// bar labels are drawn over each other must be reported.
func TestOverlapCheckCatchesFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: slow")
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-fault", "A title", "a subtitle long enough to run under the axis name", 300)...)
	b.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "an axis name placed on the subtitle"}))
	b.SetXAxis([]string{"a", "b"})
	b.AddSeries("s", []opts.BarData{{Value: 1200}, {Value: 1300}},
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "a label far too wide for its bar to fit beside the next"}))
	cv, err := render("chart-fault", 300, "fault", b, map[string]any{"grid": map[string]any{"top": 40, "left": 16, "right": 600}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writePage(&buf, page{Title: "faults", Sections: []section{{ID: "s", Title: "s", Charts: []chartView{cv}}}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "faults.html")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(textOverlaps(t, path), "\n")
	for _, want := range []string{`"a subtitle long enough to run under the axis name" [`, `"a label far too wide`} {
		if !strings.Contains(got, want) {
			t.Errorf("overlap of %s not reported; got:\n%s", want, got)
		}
	}
}
