package reports

import (
	"fmt"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/analysis"
)

// funnelSection is the overall funnel: every count and rate of a row from
// the same base (the mature leads), and the any-time count beside it under
// its own name.
func funnelSection(rep *analysis.Report, _ Options) (section, error) {
	if len(rep.Stages) == 0 || len(rep.Total.Reached) == 0 {
		return section{ID: "funnel", Title: "The funnel", Intro: "No leads in this report."}, nil
	}
	tot := rep.Total
	within := fmt.Sprintf("Converted within %d days", rep.WindowDays)
	t := table{
		Caption: fmt.Sprintf("All leads: reached at any time; converted within %d days, of the base of %s mature leads", rep.WindowDays, fmtInt(int(tot.Base))),
		Head:    []string{"Stage", "Reached (any time)", within, "Share of base", "95% interval", "Step rate from previous stage", "95% interval"},
		Numeric: []bool{false, true, true, true, false, true, false},
	}
	data := make([]opts.FunnelData, 0, len(rep.Stages))
	labels := make([]string, 0, len(rep.Stages))
	tips := make([]string, 0, len(rep.Stages))
	var notes []string
	for i, s := range rep.Stages {
		n, _ := reached(tot, s)
		name := stageTitle(s)
		if i == 0 {
			t.Rows = append(t.Rows, row{Cells: []cell{textCell(name), intCell(int(n)), intCell(int(tot.Base)),
				pctCell(1), textCell(dash), textCell(dash), textCell(dash)}})
			data = append(data, opts.FunnelData{Name: name, Value: tot.Base})
			labels = append(labels, fmt.Sprintf("%s: %s mature leads (the base)", name, fmtInt(int(tot.Base))))
			tips = append(tips, fmt.Sprintf("%s\n%s mature leads: the base of every rate", name, fmtInt(int(tot.Base))))
			continue
		}
		c, _ := conversion(tot, s)
		prev := stageTitle(rep.Stages[i-1])
		t.Rows = append(t.Rows, row{Cells: []cell{textCell(name), intCell(int(n)), intCell(int(c.Converted)),
			pctCell(c.FromLead.Rate), textCell(interval(c.FromLead)), ofCell(c.FromPrevious), textCell(interval(c.FromPrevious))}})
		data = append(data, opts.FunnelData{Name: name, Value: c.Converted})
		labels = append(labels, fmt.Sprintf("%s: %s · %s of %s", name, fmtInt(int(c.Converted)), fmtPct(c.FromPrevious.Rate), prev))
		tips = append(tips, fmt.Sprintf("%s\n%s of the base converted within %d days (%s)\nstep rate from %s: %s",
			name, fmtOf(c.FromLead.Num, c.FromLead.Den), rep.WindowDays, fmtCount(n, "lead")+" reached it any time", prev, fmtOf(c.FromPrevious.Num, c.FromPrevious.Den)))
		if ref, ok := referenceFor(rep, rep.Stages[i-1], s); ok {
			notes = append(notes, fmt.Sprintf("Your %s step rate is %s within %d days; %s (%s).", stepName(rep.Stages[i-1], s),
				fmtPct(c.FromPrevious.Rate), rep.WindowDays, ref.Label, ref.Source))
		}
	}
	for _, ks := range rep.KeySteps {
		ref, ok := referenceFor(rep, ks.From, ks.To)
		st, has := tot.Step(ks.From, ks.To)
		if !ok || !has || adjacent(rep.Stages, ks.From, ks.To) {
			continue
		}
		notes = append(notes, fmt.Sprintf("Your %s rate is %s within %d days; %s (%s).", stepName(ks.From, ks.To),
			fmtOf(st.Num, st.Den), rep.WindowDays, ref.Label, ref.Source))
	}
	height := 80 + 56*len(rep.Stages)
	f := charts.NewFunnel()
	f.SetGlobalOptions(baseOpts("chart-funnel", fmt.Sprintf("Funnel of all leads: converted within %d days", rep.WindowDays), funnelWhen(rep), height)...)
	f.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	f.AddSeries("leads", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: "#1f2937"}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Sort = "none"
			s.Left = "8%"
			s.Right = "40%"
			s.Top = "72"
			s.Bottom = "16"
		}))
	cv, err := render("chart-funnel", height, "Funnel of all leads by stage with step rates", f, patches(
		map[string]any{"series": []any{map[string]any{"minSize": "4%", "gap": 2, "labelLine": map[string]any{"show": true}}}},
		itemLabels(0, labels), itemTips(0, tips)))
	if err != nil {
		return section{}, err
	}
	return section{
		ID: "funnel", Title: "The funnel",
		Intro: fmt.Sprintf("Of the mature leads (created at least %d days before the end of the data), how many reached each stage within %d days, "+
			"and the step rate: the share of those that reached the previous stage that also reached this one. Widths are those counts. "+
			"The table also gives the leads that reached each stage at any time, whatever their age.", rep.WindowDays, rep.WindowDays),
		Charts: []chartView{cv}, Tables: []table{t}, Notes: notes,
	}, nil
}

// adjacent reports whether to follows from directly in stages.
func adjacent(stages []string, from, to string) bool {
	for i := 0; i+1 < len(stages); i++ {
		if stages[i] == from {
			return stages[i+1] == to
		}
	}
	return false
}

// ofCell is a rate with its numerator and denominator, sorted by the rate.
func ofCell(p analysis.Proportion) cell {
	if p.Den == 0 {
		return cell{Text: dash, Sort: sortKey(-1)}
	}
	return cell{Text: fmtOf(p.Num, p.Den), Sort: sortKey(p.Rate)}
}

// funnelWhen says which leads and window a funnel chart covers.
func funnelWhen(r *analysis.Report) string {
	span := "All leads"
	if r.From != "" || r.To != "" {
		span = "Leads created " + fmtMonth(orDash(r.From)) + " to " + fmtMonth(orDash(r.To))
	}
	return fmt.Sprintf("%s; data up to %s; %d-day window", span, fmtDate(r.DataEnd), r.WindowDays)
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
func channelSection(rep *analysis.Report, o Options) (section, error) {
	rows := channelsByLeads(rep.ByChannel)
	groups := make([]named, len(rows))
	for i, c := range rows {
		groups[i] = named{o.Labels.AsWritten(c.Channel), c.Funnel}
	}
	return breakdownSection(rep, breakdown{ID: "channels", ChartID: "chart-channels", Title: "Conversion by channel",
		Noun: "Channel", Intro: "Where leads came from and how well each source converts. Channels are ordered by number of leads.",
		Rows: groups})
}

// attributeSection compares the key step rates of the values of the
// profile attribute the report was broken down by, if any.
func attributeSection(rep *analysis.Report, o Options) (section, error) {
	ab := rep.ByAttribute
	if ab == nil {
		return section{}, nil
	}
	groups := make([]named, len(ab.Rows))
	for i, v := range ab.Rows {
		name := o.Labels.AsWritten(v.Value)
		if name == "" {
			name = "(not given)"
		}
		groups[i] = named{name, v.Funnel}
	}
	sort.SliceStable(groups, func(i, j int) bool { return leads(groups[i].Funnel) > leads(groups[j].Funnel) })
	attr := o.Labels.AsWritten(ab.Attribute)
	return breakdownSection(rep, breakdown{ID: "attribute", ChartID: "chart-attribute", Title: "Conversion by " + attr,
		Noun: attr, Intro: "How leads with each value of the profile attribute " + attr + " convert, by number of leads.",
		Rows: groups})
}

// breakdown describes one breakdown section.
type breakdown struct {
	ID, ChartID, Title, Noun, Intro string
	Rows                            []named
}

// breakdownSection draws grouped bars of the key step rates of each group
// with the published references, and the table of counts and rates: every
// count and rate of a row from the group's base.
func breakdownSection(rep *analysis.Report, bd breakdown) (section, error) {
	if len(bd.Rows) == 0 {
		return section{ID: bd.ID, Title: bd.Title, Intro: "No rows for this breakdown in this report."}, nil
	}
	steps := rep.KeySteps
	names := make([]string, len(bd.Rows))
	series := make([][]opts.BarData, len(steps))
	tips := make([][]string, len(steps))
	head := []string{bd.Noun, "Leads", "Base (mature leads)"}
	numeric := []bool{false, true, true}
	for _, ks := range steps {
		head, numeric = append(head, stepName(ks.From, ks.To)), append(numeric, true)
	}
	head, numeric = append(head, "Still open"), append(numeric, true)
	t := table{Caption: fmt.Sprintf("By number of leads; rates within %d days, of each group's base, as converted of reached", rep.WindowDays),
		Head: head, Numeric: numeric}
	for i, g := range bd.Rows {
		names[i] = g.Name
		cells := []cell{textCell(g.Name), intCell(int(leads(g.Funnel))), intCell(int(g.Funnel.Base))}
		for k, ks := range steps {
			st, ok := g.Funnel.Step(ks.From, ks.To)
			if !ok || st.Den == 0 {
				series[k] = append(series[k], opts.BarData{Value: nil})
				tips[k] = append(tips[k], "")
				cells = append(cells, cell{Text: dash, Sort: sortKey(-1)})
				continue
			}
			series[k] = append(series[k], opts.BarData{Value: pct(st.Rate)})
			tips[k] = append(tips[k], fmt.Sprintf("%s\n%s: %s", g.Name, stepName(ks.From, ks.To), fmtOf(st.Num, st.Den)))
			cells = append(cells, ofCell(st.Proportion))
		}
		cells = append(cells, pctCell(g.Funnel.OpenShare))
		rw := row{Cells: cells}
		if g.Funnel.MatureLeads == 0 {
			rw.Class = "immature"
			rw.Cells[0].Text += " (no mature leads: rates so far)"
		}
		t.Rows = append(t.Rows, rw)
	}
	height := barsHeight(len(bd.Rows), 10+10*len(steps))
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts(bd.ChartID, bd.Title, funnelWhen(rep), height)...)
	b.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: fmt.Sprintf("converted within %d days, %% of the base", rep.WindowDays),
			NameLocation: "middle", NameGap: 28, AxisLabel: &opts.AxisLabel{Formatter: axisFormatter("%")}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 260, Overflow: "truncate", Interval: "0"}}),
	)
	b.SetXAxis(names).XYReversal()
	colors := []string{colorBlue, colorPurple, colorGreen}
	intro := bd.Intro
	var patch []map[string]any
	for k, ks := range steps {
		n := stepName(ks.From, ks.To)
		so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: colors[k%len(colors)]})}
		if ref, ok := referenceFor(rep, ks.From, ks.To); ok {
			so = append(so, markXTop(pct(ref.Rate), ref.Label, colorOrange)...)
			intro += " The dashed line is a published rule of thumb for " + n + ", for context only."
		}
		b.AddSeries(n, series[k], so...)
		patch = append(patch, itemTips(k, tips[k]))
	}
	patch = append(patch, map[string]any{"grid": map[string]any{"top": 84}})
	cv, err := render(bd.ChartID, height, bd.Title, b, patches(patch...))
	if err != nil {
		return section{}, err
	}
	return section{ID: bd.ID, Title: bd.Title, Intro: intro, Charts: []chartView{cv}, Tables: []table{t}}, nil
}

// smallMultiples is how many channels get their own small funnel.
const smallMultiples = 12

// channelMultiplesSection draws one small funnel per channel (the largest
// channels), each as shares of its base so that shapes compare.
func channelMultiplesSection(rep *analysis.Report, o Options) (section, error) {
	if len(rep.ByChannel) == 0 {
		return section{}, nil
	}
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
	f.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	titles := []any{}
	var labelPatches []map[string]any
	t := table{Caption: fmt.Sprintf("Share of each channel's base (its mature leads) reaching each stage within %d days", rep.WindowDays),
		Head: append([]string{"Channel", "Base (mature leads)"}, titleAll(rep.Stages)...), Numeric: append([]bool{false}, trues(len(rep.Stages)+1)...)}
	for i, ch := range rows {
		col, rw := i%cols, i/cols
		// Cell (col, rw): title at its top, funnel below, 12 px gap to the next row.
		left, top := float64(col)*100.0/cols, 8+rw*cellH
		data := make([]opts.FunnelData, len(rep.Stages))
		labels := make([]string, len(rep.Stages))
		tips := make([]string, len(rep.Stages))
		name := o.Labels.AsWritten(ch.Channel)
		cells := []cell{textCell(name), intCell(int(ch.Base))}
		for k, s := range rep.Stages {
			p := analysis.Proportion{Num: ch.Base, Den: ch.Base, Rate: 1}
			if c, ok := conversion(ch.Funnel, s); ok {
				p = c.FromLead
			}
			data[k] = opts.FunnelData{Name: stageTitle(s), Value: pct(p.Rate)}
			labels[k] = stageTitle(s) + " " + fmtPct(p.Rate)
			tips[k] = fmt.Sprintf("%s\n%s within %d days: %s of the base", name, stageTitle(s), rep.WindowDays, fmtOf(p.Num, p.Den))
			cells = append(cells, pctCell(p.Rate))
		}
		t.Rows = append(t.Rows, row{Cells: cells})
		labelPatches = append(labelPatches, itemLabels(i, labels), itemTips(i, tips))
		titles = append(titles, map[string]any{
			"text": name, "subtext": fmt.Sprintf("base %s mature leads of %s", fmtInt(int(ch.Base)), fmtInt(int(leads(ch.Funnel)))),
			"left": fmt.Sprintf("%.1f%%", left+1), "top": top,
			"textStyle": map[string]any{"fontSize": 13, "width": titleWidth, "overflow": "truncate"}, "subtextStyle": map[string]any{"fontSize": 11},
		})
		f.AddSeries(name, data,
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside", Color: "#111827"}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Sort = "none"
				s.Left = fmt.Sprintf("%.1f%%", left+2)
				s.Right = fmt.Sprintf("%.1f%%", 100-left-100.0/cols+2)
				s.Top = fmt.Sprint(top + 48)
				s.Bottom = fmt.Sprint(height - (top + cellH - 12))
			}))
	}
	cv, err := render("chart-channel-funnels", height, "Small funnels, one per channel", f,
		patches(append(labelPatches, map[string]any{"title": titles, "series": minSizes(len(rows))})...))
	if err != nil {
		return section{}, err
	}
	intro := fmt.Sprintf("Each channel's funnel as shares of its own base (its mature leads), converted within %d days, so the shapes "+
		"can be compared: a channel that narrows early loses its leads before sales sees them.", rep.WindowDays)
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
