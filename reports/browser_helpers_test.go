package reports

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// emptyBar is a bar chart with axes, title and legend but no data.
func emptyBar() *charts.Bar {
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-empty", "A chart with no data", "", 300)...)
	b.SetXAxis([]string{"a", "b"})
	b.AddSeries("nothing", []opts.BarData{})
	return b
}
