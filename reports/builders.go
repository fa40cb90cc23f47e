package reports

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Colours used with a meaning across both pages.
const (
	colorBlue   = "#2563eb" // the team's own figures, the proposed model
	colorGrey   = "#9ca3af" // references, baselines, the current model
	colorOrange = "#ea580c" // chosen threshold, SLA, warnings
	colorGreen  = "#059669" // wins, recall
	colorPurple = "#7c3aed" // second measure on a shared chart
)

// xy is one point of a line or scatter on value axes; a nil coordinate is
// a gap.
type xy struct{ X, Y any }

// lineData turns points into go-echarts line data.
func lineData(pts []xy) []opts.LineData {
	out := make([]opts.LineData, len(pts))
	for i, p := range pts {
		if p.X == nil || p.Y == nil {
			out[i] = opts.LineData{Value: "-"}
			continue
		}
		out[i] = opts.LineData{Value: []any{p.X, p.Y}}
	}
	return out
}

// scatterData turns points into go-echarts scatter data; names label them.
func scatterData(pts []xy, names []string) []opts.ScatterData {
	out := make([]opts.ScatterData, 0, len(pts))
	for i, p := range pts {
		if p.X == nil || p.Y == nil {
			continue
		}
		d := opts.ScatterData{Value: []any{p.X, p.Y}}
		if i < len(names) {
			d.Name = names[i]
		}
		out = append(out, d)
	}
	return out
}

// valueAxisX is a numeric x axis with a name under it.
func valueAxisX(name string, unit string) charts.GlobalOpts {
	return charts.WithXAxisOpts(opts.XAxis{
		Type: "value", Name: name, NameLocation: "middle", NameGap: 28, Scale: opts.Bool(true),
		AxisLabel: &opts.AxisLabel{Formatter: axisFormatter(unit)},
	})
}

// valueAxisY is a numeric y axis with its name above it.
func valueAxisY(name string, unit string) charts.GlobalOpts {
	return charts.WithYAxisOpts(opts.YAxis{
		Type: "value", Name: name,
		AxisLabel: &opts.AxisLabel{Formatter: axisFormatter(unit)},
	})
}

// axisFormatter is an echarts string template for axis labels with a unit
// ("%" → "{value}%"); empty for plain numbers.
func axisFormatter(unit string) types.FuncStr {
	if unit == "" {
		return ""
	}
	return types.FuncStr("{value}" + unit)
}

// diagonal is the y = x reference line from (0,0) to (top,top).
func diagonal(top float64) []opts.LineData {
	return lineData([]xy{{0.0, 0.0}, {top, top}})
}

// refLineStyle is the dashed grey style of reference lines.
func refLineStyle() charts.SeriesOpts {
	return charts.WithLineStyleOpts(opts.LineStyle{Color: colorGrey, Type: "dashed", Width: 1.5})
}

// markX marks the vertical line x = at with a label, e.g. the chosen
// threshold. The label runs along the line near its top.
func markX(at any, label, color string) []charts.SeriesOpts {
	return markXAt(at, label, color, "insideEndTop", "solid")
}

// markXTop marks a reference (a published figure, "no lift", an SLA) as a
// dashed vertical line with its label horizontal above it, for charts whose
// category y axis is inverted (first category on top), where the line
// starts at the top.
func markXTop(at any, label, color string) []charts.SeriesOpts {
	return markXAt(at, label, color, "start", "dashed")
}

// markXAt is a vertical mark line with the label at position and a line of
// style "solid" or "dashed".
func markXAt(at any, label, color, position, style string) []charts.SeriesOpts {
	return []charts.SeriesOpts{
		charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: label, XAxis: at}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: position, Color: color},
			LineStyle: &opts.LineStyle{Color: color, Type: style, Width: 2},
		}),
	}
}

// markY marks the horizontal line y = at with a label, e.g. a published
// benchmark or an SLA.
func markY(at any, label, color string) []charts.SeriesOpts {
	return []charts.SeriesOpts{
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: label, YAxis: at}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideEndTop", Color: color},
			LineStyle: &opts.LineStyle{Color: color, Type: "dashed", Width: 1.5},
		}),
	}
}

// seriesColor sets a series' line and item colour.
func seriesColor(c string) []charts.SeriesOpts {
	return []charts.SeriesOpts{
		charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: 2}),
	}
}

// join concatenates series options.
func join(parts ...[]charts.SeriesOpts) []charts.SeriesOpts {
	var out []charts.SeriesOpts
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// barsHeight is the pixel height of a chart with n horizontal categories
// of per pixels each, plus room for title, legend and axis.
func barsHeight(n, per int) int { return 170 + n*per }

// tipAxis is an axis tooltip for category charts that lists each series'
// value with its unit: units[i] follows series i's value ("%", " days", "").
// ECharts fills {b0} (the category), {aN} (series name) and {cN} (value).
func tipAxis(units ...string) charts.GlobalOpts {
	var b strings.Builder
	b.WriteString("{b0}")
	for i, u := range units {
		fmt.Fprintf(&b, "\n{a%d}: {c%d}%s", i, i, u)
	}
	return charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", Formatter: types.FuncStr(b.String())})
}

// tipItem is an item tooltip with an echarts string template, e.g.
// "{b}: {c} days".
func tipItem(format string) charts.GlobalOpts {
	return charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: types.FuncStr(format)})
}

// itemTips gives data items of series their own tooltip text: texts[k]
// belongs to the series' k-th data item ("" leaves it alone). It returns a
// patch for render. The text is shown as is (tooltips are drawn as chart
// text), but echarts still fills template fields such as {b} in it.
func itemTips(series int, texts []string) map[string]any {
	return itemFormatters(series, "tooltip", texts)
}

// itemFormatters sets option.formatter of the k-th data item of series to
// texts[k] ("" leaves it alone), where option is "tooltip" or "label".
func itemFormatters(series int, option string, texts []string) map[string]any {
	data := make([]any, len(texts))
	for k, t := range texts {
		if t != "" {
			data[k] = map[string]any{option: map[string]any{"formatter": t}}
		}
	}
	s := make([]any, series+1)
	s[series] = map[string]any{"data": data}
	return map[string]any{"series": s}
}

// patches merges several render patches into one.
func patches(ps ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, p := range ps {
		merge(out, p)
	}
	return out
}

// itemLabels gives data items of series their own label text, formatted in
// Go (thousands separators, one decimal for percentages) rather than by
// echarts' templates, which print raw numbers: texts[k] belongs to the
// series' k-th data item ("" leaves it alone). It returns a patch for
// render.
func itemLabels(series int, texts []string) map[string]any {
	return itemFormatters(series, "label", texts)
}
