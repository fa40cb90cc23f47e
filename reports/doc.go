// Package reports renders analysis and calibration results as self-contained
// offline HTML dashboards (go-echarts, with echarts inlined) and as JSON. It
// never runs SQL.
//
// Two pages:
//
//   - WriteFunnel: the monthly funnel report (headline cards compared with
//     the month and the year before, the funnel with step rates, conversion
//     by channel and by profile attribute, one small funnel per channel,
//     lift by action, the cohort trend with immature months marked, stage
//     entries by calendar month, time in stage and speed to lead against an
//     SLA, recycling, data quality, definitions).
//   - WriteCalibration: the evidence revops reads before changing weights
//     (forest plot of the weights with 95% intervals and points,
//     calibration curve, ROC, gains and lift, threshold trade-off with the
//     chosen threshold, current vs proposed backtest, decay likelihood,
//     warnings, settings).
//
// WriteJSON writes any result as indented, stable JSON; Tables flattens
// that JSON into tables for `--export` (CSV and Parquet).
//
// How a page is built. go-echarts builds each chart's option (typed series,
// axes, mark lines); the option is encoded with encoding/json, which escapes
// <, > and & as \u003c, \u003e, \u0026, and placed in a
// <script type="application/json"> element of the page's own html/template.
// A small inline script reads each option with JSON.parse and draws it with
// the echarts build inlined from assets/echarts.min.js, with the SVG
// renderer (crisp in print and zoom, text selectable and measurable) (echarts 5.4.3, the
// version go-echarts v2.6.7 targets; assets/fetch-echarts.sh re-fetches it
// and checks assets/SHA256SUMS). go-echarts' own page renderer is not used:
// v2.6.7 writes option JSON raw into a <script> and turns "__f__" markers
// anywhere in the option into code, so a channel name could run as script
// (see TestGoEchartsPageUnsafe). Tooltips use echarts' richText mode (drawn
// as chart text, never parsed as HTML). Every table cell is escaped by
// html/template.
//
// A page makes no network request and opens from file://. Chart ids are
// fixed, animation is off and nothing reads the clock (Options.GeneratedAt is
// shown verbatim), so the same result always gives the same bytes: the
// golden files in testdata/reports are refreshed with
//
//	go test -tags duckdb_arrow ./reports/ -update
//
// The browser tests open both pages in headless Chromium (/usr/bin/chromium,
// via chromedp): every chart must have an <svg> with coloured marks, no two
// texts of a chart may overlap (internal/pagecheck measures them), the
// page must request nothing but itself, open no dialog, throw nothing and
// hold no <img> after every tooltip was shown. They skip when Chromium is
// missing, unless the environment variable CI is set.
package reports
