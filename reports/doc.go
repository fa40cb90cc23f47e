// Package reports renders analysis and calibration results as self-contained
// offline HTML dashboards (go-echarts, with echarts inlined) and as JSON. It
// never runs SQL.
package reports
