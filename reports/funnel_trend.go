package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/analysis"
)

// liftFor returns the action's lift into stage, if computed.
func liftFor(a analysis.ActionRow, stage string) (analysis.Lift, bool) {
	for _, l := range a.Lift {
		if l.Stage == stage {
			return l, true
		}
	}
	return analysis.Lift{}, false
}

// actionSection is the lift chart: among leads not yet qualified at the
// landmark age, how much more often those that had done an action by then
// converted than those that had not.
func actionSection(rep *analysis.Report, _ Options) (section, error) {
	s := section{ID: "actions", Title: "Which actions go with conversion"}
	if len(rep.ByAction) == 0 {
		s.Intro = "No action rows in this report (no events loaded, or no lead not yet " +
			stageTitle(fr{rep}.qualified()) + " at " + landmarkWords(rep.ActionLandmarkDays) + " had done any)."
		return s, nil
	}
	r := fr{rep}
	target := r.last()
	liftStages := []string{r.qualified()}
	if target != r.qualified() {
		liftStages = append(liftStages, target)
	}
	rows := append([]analysis.ActionRow(nil), rep.ByAction...)
	ratio := func(a analysis.ActionRow) float64 {
		if l, ok := liftFor(a, target); ok && l.Ratio != nil {
			return *l.Ratio
		}
		return math.Inf(-1)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if ri, rj := ratio(rows[i]), ratio(rows[j]); ri != rj {
			return ri > rj
		}
		return rows[i].Action < rows[j].Action
	})
	head := []string{"Action", "Leads who had done it"}
	numeric := []bool{false, true}
	for _, st := range liftStages {
		n := stepName(r.first(), st)
		head = append(head, n+" with", n+" without", "Lift "+stageTitle(st)+" [95% CI]", "p")
		numeric = append(numeric, true, true, true, true)
	}
	t := table{Caption: fmt.Sprintf("%s (%s leads); conversion within %d days of creation",
		landmarkSentence(rep), fmtInt(int(leads(rep.ActionPopulation))), rep.WindowDays),
		Head: head, Numeric: numeric}
	var names []string
	var bars []opts.BarData
	var undefined []string
	for _, a := range rows {
		cells := []cell{textCell(a.Action), intCell(int(leads(a.Funnel)))}
		for _, st := range liftStages {
			l, ok := liftFor(a, st)
			if !ok {
				cells = append(cells, textCell(dash), textCell(dash), textCell(dash), textCell(dash))
				continue
			}
			cells = append(cells, pctCell(l.With.Rate), pctCell(l.Without.Rate), ratioCell(l), pCell(l.PValue))
		}
		t.Rows = append(t.Rows, row{Cells: cells})
		if l, ok := liftFor(a, target); ok && l.Ratio != nil {
			names = append(names, a.Action)
			bars = append(bars, opts.BarData{Value: num(*l.Ratio, 2)})
		} else {
			undefined = append(undefined, a.Action)
		}
	}
	height := barsHeight(len(names), 28)
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-actions", "Lift of each action on reaching "+stageTitle(target), funnelWhen(rep), height)...)
	b.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		tipItem("{b}: lift {c}×"),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "lift (× the rate of leads who had not); 1 = no difference",
			NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 260, Overflow: "truncate", Interval: "0"}}),
	)
	b.SetXAxis(names).XYReversal()
	b.AddSeries("lift", bars, join([]charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: colorBlue}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}×"})},
		markXTop(1, "1 = no lift", "#6b7280"))...)
	cv, err := render("chart-actions", height, "Lift of each action on conversion", b,
		map[string]any{"grid": map[string]any{"top": 84, "right": 64}})
	if err != nil {
		return section{}, err
	}
	reach := stageTitle(r.qualified())
	if target != r.qualified() {
		reach += " and " + stageTitle(target)
	}
	s.Intro = fmt.Sprintf("%s: how often each side went on to reach %s within %d days of creation, and the lift, how many "+
		"times more often those who had done it did (with its 95%% interval; the chart shows the lift on %s). Every lead is "+
		"looked at the same age, so leads that became %s quickly get no shorter time to act than the others. Lift shows "+
		"association, not cause: leads already keen to buy do more of everything.",
		landmarkSentence(rep), reach, rep.WindowDays, stageTitle(target), stageTitle(r.qualified()))
	s.Charts, s.Tables = []chartView{cv}, []table{t}
	if rep.ActionLandmarkFromData {
		s.Notes = append(s.Notes, fmt.Sprintf("%s is the median age at which leads first became %s (set it with --landmark).",
			landmarkWords(rep.ActionLandmarkDays), stageTitle(r.qualified())))
	}
	if rep.ActionLandmarkDays >= rep.WindowDays {
		s.Notes = append(s.Notes, fmt.Sprintf("The landmark (%s) is not shorter than the conversion window (%d days): "+
			"few leads can convert within the window after it. Use a shorter --landmark or a longer --window.",
			landmarkWords(rep.ActionLandmarkDays), rep.WindowDays))
	}
	if len(undefined) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d actions have no lift (no comparison group or no conversions): in the table only.", len(undefined)))
	}
	if rep.ActionsOmitted > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d rarer actions were left out (only the 64 most frequent actions are tracked).", rep.ActionsOmitted))
	}
	return s, nil
}

// landmarkWords is the landmark age in words: "1 day", "3 days".
func landmarkWords(days int) string {
	if days == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", days)
}

// landmarkSentence says whom by_action compares: "Among leads not yet MQL
// 3 days after creation, those who had done the action by then, against
// those who had not".
func landmarkSentence(rep *analysis.Report) string {
	return fmt.Sprintf("Among leads not yet %s %s after creation, those who had done the action by then, against those who had not",
		stageTitle(fr{rep}.qualified()), landmarkWords(rep.ActionLandmarkDays))
}

// ratioCell shows a lift with its interval, "1.33 [0.27–6.61]", sorted by
// the lift; a dash when there is no lift.
func ratioCell(l analysis.Lift) cell {
	c := ptrCell(l.Ratio, 2)
	if l.Ratio != nil && l.RatioLow != nil && l.RatioHigh != nil {
		c.Text += " [" + fmtFloat(*l.RatioLow, 2) + "–" + fmtFloat(*l.RatioHigh, 2) + "]"
	}
	return c
}

// ptrCell shows an optional number.
func ptrCell(v *float64, decimals int) cell {
	if v == nil {
		return cell{Text: dash, Sort: sortKey(math.NaN())}
	}
	return floatCell(*v, decimals)
}

// pCell shows an optional p-value.
func pCell(p *float64) cell {
	if p == nil {
		return cell{Text: dash, Sort: sortKey(math.NaN())}
	}
	return cell{Text: fmtP(*p), Sort: sortKey(*p)}
}

// cohortSection is the trend of the key rates by cohort month, immature
// cohorts marked.
func cohortSection(rep *analysis.Report, _ Options) (section, error) {
	s := section{ID: "cohorts", Title: "Trend by cohort month"}
	if len(rep.ByMonth) == 0 {
		s.Intro = "No cohort months in this report."
		return s, nil
	}
	r := fr{rep}
	cr := keyRates(r)
	months := make([]string, len(rep.ByMonth))
	lines := make([][]opts.LineData, len(cr.steps))
	var volume []opts.BarData
	head := []string{"Cohort", "Leads", "Mature", "Still open"}
	numeric := []bool{false, true, true, true}
	for _, n := range cr.names {
		head, numeric = append(head, n), append(numeric, true)
	}
	t := table{Caption: fmt.Sprintf("By month of lead creation; rates within %d days (immature cohorts in grey)", rep.WindowDays),
		Head: head, Numeric: numeric}
	var immature []string
	for i, m := range rep.ByMonth {
		months[i] = m.Month
		volume = append(volume, opts.BarData{Value: leads(m.Funnel)})
		symbol := "circle"
		if m.Immature {
			symbol = "emptyCircle"
			immature = append(immature, m.Month)
		}
		label := m.Month
		if m.Immature {
			label += " (immature)"
		}
		cells := []cell{textCell(label), intCell(int(leads(m.Funnel))), intCell(int(m.MatureLeads)), pctCell(m.OpenShare)}
		for k, st := range cr.steps {
			rate, _, _, ok := stepRate(r, m.Funnel, st[0], st[1])
			if !ok {
				lines[k] = append(lines[k], opts.LineData{Value: "-"})
				cells = append(cells, cell{Text: dash, Sort: sortKey(-1)})
				continue
			}
			lines[k] = append(lines[k], opts.LineData{Value: pct(rate), Symbol: symbol, SymbolSize: 8})
			cells = append(cells, pctCell(rate))
		}
		rw := row{Cells: cells}
		if m.Immature {
			rw.Class = "immature"
		}
		t.Rows = append(t.Rows, rw)
	}
	b := charts.NewBar()
	units := []string{" leads"}
	for range cr.steps {
		units = append(units, "%")
	}
	b.SetGlobalOptions(baseOpts("chart-cohorts", "Conversion by cohort month", funnelWhen(rep), 440)...)
	b.SetGlobalOptions(
		tipAxis(units...),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "conversion", AxisLabel: &opts.AxisLabel{Formatter: axisFormatter("%")}}),
	)
	b.ExtendYAxis(opts.YAxis{Type: "value", Name: "leads", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	b.SetXAxis(months)
	b.AddSeries("leads (right axis)", volume, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#dbeafe"}),
		charts.WithBarChartOpts(opts.BarChart{YAxisIndex: 1}))
	l := charts.NewLine()
	colors := []string{colorBlue, colorPurple, colorGreen}
	for k, n := range cr.names {
		so := seriesColor(colors[k%len(colors)])
		if ref, ok := referenceFor(cr.steps[k][0], cr.steps[k][1]); ok {
			so = append(so, markY(pct(ref.Rate), ref.Label, colorOrange)...)
		}
		l.AddSeries(n, lines[k], so...)
	}
	b.Overlap(l)
	// Series 0 is the volume bar; the shading goes on it so that it spans the
	// whole plot (go-echarts v2.6.7 cannot express an x-only markArea).
	var patch map[string]any
	if len(immature) > 0 {
		patch = map[string]any{"series": []any{map[string]any{"markArea": map[string]any{
			"silent":    true,
			"itemStyle": map[string]any{"color": "rgba(156,163,175,0.22)"},
			"label":     map[string]any{"show": true, "position": "insideTop", "color": "#4b5563"},
			"data":      immatureAreas(months, immature),
		}}}}
	}
	cv, err := render("chart-cohorts", 440, "Conversion rates by cohort month, immature months shaded", b, patch)
	if err != nil {
		return section{}, err
	}
	s.Intro = fmt.Sprintf("Each month's leads followed for %d days. Shaded months and hollow points are immature: "+
		"their window has not closed, so their rates are conversion so far and will still rise. Do not read them as a drop.", rep.WindowDays)
	s.Charts, s.Tables = []chartView{cv}, []table{t}
	return s, nil
}

// immatureAreas shades the runs of consecutive immature months: echarts
// markArea pairs [{name, xAxis: first}, {xAxis: last}].
func immatureAreas(months, immature []string) []any {
	is := map[string]bool{}
	for _, m := range immature {
		is[m] = true
	}
	var out []any
	for i := 0; i < len(months); i++ {
		if !is[months[i]] {
			continue
		}
		j := i
		for j+1 < len(months) && is[months[j+1]] {
			j++
		}
		out = append(out, []any{
			map[string]any{"name": "immature", "xAxis": months[i]},
			map[string]any{"xAxis": months[j]},
		})
		i = j
	}
	return out
}

// periodSection counts stage entries per calendar month.
func periodSection(rep *analysis.Report, _ Options) (section, error) {
	if len(rep.Period) == 0 {
		return section{}, nil
	}
	months := make([]string, len(rep.Period))
	head := append([]string{"Month"}, titleAll(rep.Stages)...)
	t := table{Caption: "Entries into each stage by calendar month", Head: head, Numeric: append([]bool{false}, trues(len(rep.Stages))...)}
	series := make([][]opts.LineData, len(rep.Stages))
	var created []opts.BarData
	for i, p := range rep.Period {
		months[i] = p.Month
		cells := []cell{textCell(p.Month)}
		for k, s := range rep.Stages {
			var n int64
			for _, e := range p.Entries {
				if e.Stage == s {
					n = e.Leads
				}
			}
			cells = append(cells, intCell(int(n)))
			if k == 0 {
				created = append(created, opts.BarData{Value: n})
			} else {
				series[k] = append(series[k], opts.LineData{Value: n})
			}
		}
		t.Rows = append(t.Rows, row{Cells: cells})
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-period", "Stage entries per calendar month", "Data up to "+fmtDate(rep.DataEnd), 420)...)
	b.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "entries"}),
	)
	b.ExtendYAxis(opts.YAxis{Type: "value", Name: "leads created", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	b.SetXAxis(months)
	b.AddSeries(stageTitle(rep.Stages[0])+" created (right axis)", created, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#dbeafe"}),
		charts.WithBarChartOpts(opts.BarChart{YAxisIndex: 1}))
	l := charts.NewLine()
	palette := []string{colorBlue, colorPurple, "#0891b2", "#ca8a04", colorGreen, "#db2777"}
	for k := 1; k < len(rep.Stages); k++ {
		l.AddSeries(stageTitle(rep.Stages[k]), series[k], seriesColor(palette[(k-1)%len(palette)])...)
	}
	b.Overlap(l)
	cv, err := render("chart-period", 420, "Stage entries per calendar month", b, nil)
	if err != nil {
		return section{}, err
	}
	return section{ID: "period", Title: "Volumes by calendar month",
		Intro: "What happened in each month, whatever month the lead was created in: leads created, MQLs reached, deals won. " +
			"The last month may be incomplete.",
		Charts: []chartView{cv}, Tables: []table{t}, Stacked: true}, nil
}
