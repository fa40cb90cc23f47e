package reports

import (
	"fmt"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/analysis"
)

// funnelSection is the overall funnel with its step rates.
func funnelSection(rep *analysis.Report, _ Options) (section, error) {
	if len(rep.Stages) == 0 || len(rep.Total.Reached) == 0 {
		return section{ID: "funnel", Title: "The funnel", Intro: "No leads in this report."}, nil
	}
	r := fr{rep}
	tot := rep.Total
	t := table{
		Caption: fmt.Sprintf("All leads: reached at any time, and converted within %d days over the base of %s leads", rep.WindowDays, fmtInt(int(tot.Base))),
		Head:    []string{"Stage", "Reached (any time)", "Converted in window", "Share of base", "95% interval", "Step rate from previous", "95% interval"},
		Numeric: []bool{false, true, true, true, false, true, false},
	}
	data := make([]opts.FunnelData, 0, len(rep.Stages))
	var notes []string
	for i, s := range rep.Stages {
		n, _ := reached(tot, s)
		name := stageTitle(s)
		if i == 0 {
			t.Rows = append(t.Rows, row{Cells: []cell{textCell(name), intCell(int(n)), intCell(int(tot.Base)),
				pctCell(1), textCell(dash), textCell(dash), textCell(dash)}})
			data = append(data, opts.FunnelData{Name: fmt.Sprintf("%s: %s leads", name, fmtInt(int(n))), Value: n})
			continue
		}
		var c analysis.StageConversion
		for _, x := range tot.Conversion {
			if x.Stage == s {
				c = x
			}
		}
		t.Rows = append(t.Rows, row{Cells: []cell{textCell(name), intCell(int(n)), intCell(int(c.Converted)),
			pctCell(c.FromLead.Rate), textCell(interval(c.FromLead)), pctCell(c.FromPrevious.Rate), textCell(interval(c.FromPrevious))}})
		data = append(data, opts.FunnelData{Name: fmt.Sprintf("%s: %s leads · step rate %s from %s", name, fmtInt(int(n)),
			fmtPct(c.FromPrevious.Rate), stageTitle(rep.Stages[i-1])), Value: n})
		if ref, ok := referenceFor(rep.Stages[i-1], s); ok {
			notes = append(notes, fmt.Sprintf("Your %s step rate is %s within %d days; %s (%s).", stepName(rep.Stages[i-1], s),
				fmtPct(c.FromPrevious.Rate), rep.WindowDays, ref.Label, ref.Source))
		}
	}
	if ref, ok := referenceFor(r.qualified(), "sql"); ok && r.idx("sql") > r.idx(r.qualified())+1 {
		if rate, _, _, ok := stepRate(r, tot, r.qualified(), "sql"); ok {
			notes = append(notes, fmt.Sprintf("Your %s rate is %s within %d days; %s (%s).", stepName(r.qualified(), "sql"),
				fmtPct(rate), rep.WindowDays, ref.Label, ref.Source))
		}
	}
	height := 80 + 56*len(rep.Stages)
	f := charts.NewFunnel()
	f.SetGlobalOptions(baseOpts("chart-funnel", "Funnel of all leads", funnelWhen(rep), height)...)
	f.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}), tipItem("{b}"))
	f.AddSeries("leads", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{b}", Color: "#1f2937"}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Sort = "none"
			s.Left = "8%"
			s.Right = "40%"
			s.Top = "64"
			s.Bottom = "16"
		}))
	cv, err := render("chart-funnel", height, "Funnel of all leads by stage with step rates", f,
		map[string]any{"series": []any{map[string]any{"minSize": "4%", "gap": 2, "labelLine": map[string]any{"show": true}}}})
	if err != nil {
		return section{}, err
	}
	return section{
		ID: "funnel", Title: "The funnel",
		Intro: "How many leads reached each stage (at any time), and the step rate: the share of the leads that reached the " +
			"previous stage within the window that also reached this one within the window. Widths are lead counts.",
		Charts: []chartView{cv}, Tables: []table{t}, Notes: notes,
	}, nil
}

// funnelWhen says which leads and window a funnel chart covers.
func funnelWhen(r *analysis.Report) string {
	span := "all cohorts"
	if r.From != "" || r.To != "" {
		span = "cohorts " + orDash(r.From) + " to " + orDash(r.To)
	}
	return fmt.Sprintf("Leads created in %s; data up to %s; %d-day window", span, fmtDate(r.DataEnd), r.WindowDays)
}

func orDash(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// interval formats a proportion's 95% interval: "10.2–14.1%".
func interval(p analysis.Proportion) string {
	if p.Den == 0 {
		return dash
	}
	return fmtFloat(p.Low*100, 1) + "–" + fmtFloat(p.High*100, 1) + "%"
}

// channelRates are the three rates the channel views compare.
type channelRates struct {
	steps [][2]string // from, to
	names []string
}

func keyRates(r fr) channelRates {
	var cr channelRates
	add := func(from, to string) {
		if r.idx(from) >= 0 && r.idx(to) > r.idx(from) {
			cr.steps = append(cr.steps, [2]string{from, to})
			cr.names = append(cr.names, stepName(from, to))
		}
	}
	add(r.first(), r.qualified())
	add(r.qualified(), "sql")
	add(r.qualified(), r.last())
	return cr
}

// named is one row of a breakdown (a channel or an attribute value).
type named struct {
	Name   string
	Funnel analysis.Funnel
}

// channelsByLeads returns the channel rows ordered by number of leads,
// most first, then by name.
func channelsByLeads(rows []analysis.ChannelRow) []analysis.ChannelRow {
	out := append([]analysis.ChannelRow(nil), rows...)
	sort.SliceStable(out, func(i, j int) bool {
		if li, lj := leads(out[i].Funnel), leads(out[j].Funnel); li != lj {
			return li > lj
		}
		return out[i].Channel < out[j].Channel
	})
	return out
}

// channelSection compares the key step rates of every channel.
func channelSection(rep *analysis.Report, _ Options) (section, error) {
	rows := channelsByLeads(rep.ByChannel)
	groups := make([]named, len(rows))
	for i, c := range rows {
		groups[i] = named{c.Channel, c.Funnel}
	}
	return breakdownSection(rep, breakdown{ID: "channels", ChartID: "chart-channels", Title: "Conversion by channel",
		Noun: "Channel", Intro: "Where leads came from and how well each source converts. Channels are ordered by number of leads.",
		Rows: groups})
}

// attributeSection compares the key step rates of the values of the
// profile attribute the report was broken down by, if any.
func attributeSection(rep *analysis.Report, _ Options) (section, error) {
	ab := rep.ByAttribute
	if ab == nil {
		return section{}, nil
	}
	groups := make([]named, len(ab.Rows))
	for i, v := range ab.Rows {
		name := v.Value
		if name == "" {
			name = "(not given)"
		}
		groups[i] = named{name, v.Funnel}
	}
	sort.SliceStable(groups, func(i, j int) bool { return leads(groups[i].Funnel) > leads(groups[j].Funnel) })
	return breakdownSection(rep, breakdown{ID: "attribute", ChartID: "chart-attribute", Title: "Conversion by " + ab.Attribute,
		Noun: ab.Attribute, Intro: "How leads with each value of the profile attribute " + ab.Attribute + " convert, by number of leads.",
		Rows: groups})
}

// breakdown describes one breakdown section.
type breakdown struct {
	ID, ChartID, Title, Noun, Intro string
	Rows                            []named
}

// breakdownSection draws grouped bars of the key step rates of each group
// with the published references, and the table of counts and rates.
func breakdownSection(rep *analysis.Report, bd breakdown) (section, error) {
	if len(bd.Rows) == 0 {
		return section{ID: bd.ID, Title: bd.Title, Intro: "No rows for this breakdown in this report."}, nil
	}
	r := fr{rep}
	cr := keyRates(r)
	names := make([]string, len(bd.Rows))
	series := make([][]opts.BarData, len(cr.steps))
	head := []string{bd.Noun, "Leads", "Mature leads"}
	numeric := []bool{false, true, true}
	for _, s := range rep.Stages[min(1, len(rep.Stages)):] {
		head, numeric = append(head, "Reached "+stageTitle(s)), append(numeric, true)
	}
	for _, n := range cr.names {
		head, numeric = append(head, n), append(numeric, true)
	}
	head, numeric = append(head, "Still open"), append(numeric, true)
	t := table{Caption: fmt.Sprintf("By number of leads; rates within %d days over each group's base", rep.WindowDays),
		Head: head, Numeric: numeric}
	for i, g := range bd.Rows {
		names[i] = g.Name
		cells := []cell{textCell(g.Name), intCell(int(leads(g.Funnel))), intCell(int(g.Funnel.MatureLeads))}
		for _, s := range rep.Stages[min(1, len(rep.Stages)):] {
			n, _ := reached(g.Funnel, s)
			cells = append(cells, intCell(int(n)))
		}
		for k, st := range cr.steps {
			rate, num, den, ok := stepRate(r, g.Funnel, st[0], st[1])
			if !ok {
				series[k] = append(series[k], opts.BarData{Value: nil})
				cells = append(cells, cell{Text: dash, Sort: sortKey(-1)})
				continue
			}
			series[k] = append(series[k], opts.BarData{Value: pct(rate)})
			cells = append(cells, cell{Text: fmt.Sprintf("%s (%d/%d)", fmtPct(rate), num, den), Sort: sortKey(rate)})
		}
		cells = append(cells, pctCell(g.Funnel.OpenShare))
		rw := row{Cells: cells}
		if g.Funnel.MatureLeads == 0 {
			rw.Class = "immature"
			rw.Cells[0].Text += " (no mature leads: rates so far)"
		}
		t.Rows = append(t.Rows, rw)
	}
	height := barsHeight(len(bd.Rows), 10+10*len(cr.steps))
	b := charts.NewBar()
	units := make([]string, len(cr.steps))
	for k := range units {
		units[k] = "%"
	}
	b.SetGlobalOptions(baseOpts(bd.ChartID, bd.Title, funnelWhen(rep), height)...)
	b.SetGlobalOptions(
		tipAxis(units...),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "conversion within the window", NameLocation: "middle", NameGap: 28,
			AxisLabel: &opts.AxisLabel{Formatter: axisFormatter("%")}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 260, Overflow: "truncate", Interval: "0"}}),
	)
	b.SetXAxis(names).XYReversal()
	colors := []string{colorBlue, colorPurple, colorGreen}
	intro := bd.Intro
	for k, n := range cr.names {
		so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: colors[k%len(colors)]})}
		if ref, ok := referenceFor(cr.steps[k][0], cr.steps[k][1]); ok {
			so = append(so, markXTop(pct(ref.Rate), ref.Label, colorOrange)...)
			intro += " The dashed line is a published rule of thumb for " + n + ", for context only."
		}
		b.AddSeries(n, series[k], so...)
	}
	cv, err := render(bd.ChartID, height, bd.Title, b, map[string]any{"grid": map[string]any{"top": 84}})
	if err != nil {
		return section{}, err
	}
	return section{ID: bd.ID, Title: bd.Title, Intro: intro, Charts: []chartView{cv}, Tables: []table{t}}, nil
}

// smallMultiples is how many channels get their own small funnel.
const smallMultiples = 12

// channelMultiplesSection draws one small funnel per channel (the largest
// channels), each as shares of its base so that shapes compare.
func channelMultiplesSection(rep *analysis.Report, _ Options) (section, error) {
	if len(rep.ByChannel) == 0 {
		return section{}, nil
	}
	r := fr{rep}
	rows := channelsByLeads(rep.ByChannel)
	if len(rows) > smallMultiples {
		rows = rows[:smallMultiples]
	}
	// Three funnels a row: at print width (about 680 px of chart) a cell is
	// about 220 px wide, room for a channel name truncated to titleWidth.
	const cols, cellH, titleWidth = 3, 250, 200
	nrows := (len(rows) + cols - 1) / cols
	height := 16 + nrows*cellH
	f := charts.NewFunnel()
	f.SetGlobalOptions(baseOpts("chart-channel-funnels", "", "", height)...)
	f.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}), tipItem("{a}\n{b}: {c}% of the base"))
	titles := []any{}
	t := table{Caption: fmt.Sprintf("Share of each channel's base reaching each stage within %d days", rep.WindowDays),
		Head: append([]string{"Channel"}, titleAll(rep.Stages)...), Numeric: append([]bool{false}, trues(len(rep.Stages))...)}
	for i, ch := range rows {
		col, rw := i%cols, i/cols
		// Cell (col, rw): title at its top, funnel below, 12 px gap to the next row.
		left, top := float64(col)*100.0/cols, 8+rw*cellH
		data := make([]opts.FunnelData, len(rep.Stages))
		cells := []cell{textCell(ch.Channel)}
		for k, s := range rep.Stages {
			share := 0.0
			if n, ok := converted(r, ch.Funnel, s); ok && ch.Base > 0 {
				share = float64(n) / float64(ch.Base)
			}
			data[k] = opts.FunnelData{Name: stageTitle(s), Value: pct(share)}
			cells = append(cells, pctCell(share))
		}
		t.Rows = append(t.Rows, row{Cells: cells})
		titles = append(titles, map[string]any{
			"text": ch.Channel, "subtext": fmt.Sprintf("%s leads", fmtInt(int(leads(ch.Funnel)))),
			"left": fmt.Sprintf("%.1f%%", left+1), "top": top,
			"textStyle": map[string]any{"fontSize": 13, "width": titleWidth, "overflow": "truncate"}, "subtextStyle": map[string]any{"fontSize": 11},
		})
		f.AddSeries(ch.Channel, data,
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside", Formatter: "{b} {c}%", Color: "#111827"}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Sort = "none"
				s.Left = fmt.Sprintf("%.1f%%", left+2)
				s.Right = fmt.Sprintf("%.1f%%", 100-left-100.0/cols+2)
				s.Top = fmt.Sprint(top + 48)
				s.Bottom = fmt.Sprint(height - (top + cellH - 12))
			}))
	}
	cv, err := render("chart-channel-funnels", height, "Small funnels, one per channel", f,
		map[string]any{"title": titles, "series": minSizes(len(rows))})
	if err != nil {
		return section{}, err
	}
	intro := "Each channel's funnel as shares of its own base, so the shapes can be compared: a channel that narrows " +
		"early loses its leads before sales sees them."
	if len(rep.ByChannel) > len(rows) {
		intro += fmt.Sprintf(" Shown: the %d channels with the most leads of %d; all are in the table above.", len(rows), len(rep.ByChannel))
	}
	return section{ID: "channel-funnels", Title: "Funnel per channel", Intro: intro,
		Charts: []chartView{cv}, Tables: []table{t}, Stacked: true}, nil
}

// minSizes gives n funnel series a minimum width so late stages stay visible.
func minSizes(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"minSize": "12%", "gap": 1, "label": map[string]any{"textBorderWidth": 0, "textBorderColor": "transparent"}}
	}
	return out
}

func titleAll(stages []string) []string {
	out := make([]string, len(stages))
	for i, s := range stages {
		out[i] = stageTitle(s)
	}
	return out
}

func trues(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}
