package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TestGoEchartsPageUnsafe records why the pages are not rendered with
// go-echarts' own components.Page (ClearPresetJSAssets plus a custom
// header): v2.6.7 writes the option JSON unescaped into a <script>
// (JSONNotEscaped | safeJS), so a name can close the element, and it strips
// its "__f__" function markers from the whole option, so a name can become
// code. The reports package uses go-echarts to build the options and its own
// html/template page that reads them with JSON.parse. If this test starts
// failing, go-echarts has fixed both and its page could be reconsidered.
func TestGoEchartsPageUnsafe(t *testing.T) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithInitializationOpts(opts.Initialization{ChartID: "c"}))
	bar.SetXAxis([]string{hostileNames[1], hostileNames[2]}).AddSeries("s", []opts.BarData{{Value: 1}, {Value: 2}})
	page := components.NewPage()
	page.AddCharts(bar)
	page.ClearPresetJSAssets()
	var b bytes.Buffer
	if err := page.Render(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// The category data as go-echarts writes it: the first name closes the
	// <script> element, the second has become a bare call alert(3).
	if !strings.Contains(out, `"data":["</script><script>alert(2)</script>",alert(3)]`) {
		t.Errorf("go-echarts' page output changed; it was unsafe in v2.6.7, check again:\n%s", out[strings.Index(out, "option_c"):])
	}
}
