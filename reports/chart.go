package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// chartView is one chart as the page template places it: a div with a fixed
// id and the echarts option as JSON, which the page's init script reads with
// JSON.parse (never eval), so no string from the data can become code.
type chartView struct {
	// ID is the fixed DOM id of the chart's div, e.g. "chart-funnel".
	ID string
	// Height is the div's height in CSS pixels.
	Height int
	// Option is the echarts option as JSON with <, > and & escaped as
	// \u003c, \u003e, \u0026, so it cannot close the <script> it sits in.
	Option template.JS
	// Alt is a one-line description of the chart for screen readers.
	Alt string
	// Renderer is echarts' renderer for the chart: always "svg" (crisp in
	// print and zoom, text selectable, text boxes measurable by the
	// browser tests).
	Renderer string
}

// renderer is the echarts renderer of every chart (see chartView.Renderer).
const renderer = "svg"

// echartsChart is what every go-echarts chart type provides.
type echartsChart interface {
	Validate()
	JSON() map[string]interface{}
}

// baseOpts are the global options every chart gets: its fixed id and size,
// animation off (screenshots and print must show the final drawing), a plain
// white background, and title, legend and grid placed so they do not overlap.
func baseOpts(id, title, subtitle string, height int) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{
			ChartID: id, Width: "100%", Height: fmt.Sprintf("%dpx", height),
			BackgroundColor: "#ffffff", Renderer: renderer,
		}),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, Left: "left"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	}
}

// render validates c, turns it into the option JSON for the page and
// applies patch: options go-echarts v2.6.7 has no field for. Every chart gets
// tooltip.renderMode "richText": tooltips are drawn as chart (SVG) text,
// never as HTML, so a hostile name in a tooltip is shown, not parsed.
func render(id string, height int, alt string, c echartsChart, patch map[string]any) (chartView, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return chartView{}, fmt.Errorf("chart %s: encode option: %w", id, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return chartView{}, fmt.Errorf("chart %s: decode option: %w", id, err)
	}
	delete(m, "toolbox")
	merge(m, map[string]any{
		"animation": false,
		"tooltip":   map[string]any{"renderMode": "richText", "confine": true},
		"grid":      map[string]any{"containLabel": true, "left": 16, "right": 32, "top": 64, "bottom": 64},
	})
	merge(m, patch)
	alignAxisNames(m)
	// json.Marshal escapes <, >, & and U+2028/2029: the result can sit
	// inside <script type="application/json"> whatever the data holds.
	out, err := json.Marshal(m)
	if err != nil {
		return chartView{}, fmt.Errorf("chart %s: encode option: %w", id, err)
	}
	return chartView{ID: id, Height: height, Option: template.JS(out), Alt: alt, Renderer: renderer}, nil
}

// merge copies src into dst, recursing into nested objects, so a patch can
// set tooltip.renderMode without dropping tooltip.trigger. An array in src
// merges into an array in dst element by element (a nil element leaves
// dst's element alone, and an object leaves a scalar such as the gap "-"
// alone), so a patch can add a field to series[1] only. An
// object in src given for an array in dst (several grids or axes) is
// ignored.
func merge(dst, src map[string]any) {
	for k, v := range src {
		switch sv := v.(type) {
		case map[string]any:
			switch dv := dst[k].(type) {
			case map[string]any:
				merge(dv, sv)
			case []any:
				// leave arrays (several grids or axes) as they are
			default:
				cp := map[string]any{}
				merge(cp, sv)
				dst[k] = cp
			}
		case []any:
			dv, ok := dst[k].([]any)
			if !ok {
				dst[k] = sv
				continue
			}
			for i, e := range sv {
				if e == nil {
					continue
				}
				for len(dv) < i {
					dv = append(dv, nil) // keep positions: src[i] lands at dst[i]
				}
				if i == len(dv) {
					dv = append(dv, e)
					continue
				}
				em, eok := e.(map[string]any)
				dm, dok := dv[i].(map[string]any)
				switch {
				case eok && dok:
					merge(dm, em)
				case eok && dv[i] == nil:
					cp := map[string]any{}
					merge(cp, em)
					dv[i] = cp
				case eok:
					// dst holds a scalar, such as the gap "-" in series
					// data: an object patch does not apply to it.
				default:
					dv[i] = e
				}
			}
			dst[k] = dv
		default:
			dst[k] = v
		}
	}
}

// alignAxisNames keeps y-axis names inside the chart: a name sits above its
// axis and is aligned to run inwards (left axis: to the right; right axis:
// to the left), so a long name is not cut off at the chart's edge.
func alignAxisNames(m map[string]any) {
	axes, ok := m["yAxis"].([]any)
	if !ok {
		return
	}
	for _, a := range axes {
		ax, ok := a.(map[string]any)
		if !ok || ax["name"] == nil {
			continue
		}
		align := "left"
		if ax["position"] == "right" {
			align = "right"
		}
		if _, set := ax["nameTextStyle"]; !set {
			ax["nameTextStyle"] = map[string]any{"align": align}
		}
	}
}

// num returns v rounded to digits decimals for a chart, or nil (a gap in
// echarts) when v is NaN or infinite.
func num(v float64, digits int) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// pct returns a rate in [0,1] as a percentage rounded to 0.1 for a chart,
// or nil when it is NaN or infinite.
func pct(rate float64) any {
	if math.IsNaN(rate) || math.IsInf(rate, 0) {
		return nil
	}
	return num(rate*100, 1)
}
