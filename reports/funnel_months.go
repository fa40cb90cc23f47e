package reports

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/analysis"
)

// noMinLabels hides the lowest label of both y axes of a month chart: the
// "0" in the corner would sit on the first month's label at print width,
// and the axes start at 0 anyway.
func noMinLabels() map[string]any {
	hide := map[string]any{"axisLabel": map[string]any{"showMinLabel": false}}
	return map[string]any{"yAxis": []any{hide, hide}}
}

// cohortSection is the trend of the key rates by cohort month: mature
// cohorts as solid lines, immature ones dashed with hollow points, with a
// note that their rates will still rise.
func cohortSection(rep *analysis.Report, _ Options) (section, error) {
	s := section{ID: "cohorts", Title: "Trend by cohort month"}
	if len(rep.ByMonth) == 0 {
		s.Intro = "No cohort months in this report."
		return s, nil
	}
	steps := rep.KeySteps
	months := make([]string, len(rep.ByMonth))
	mature := make([][]opts.LineData, len(steps))
	young := make([][]opts.LineData, len(steps))
	rateTips := make([][]string, len(steps))
	var volume []opts.BarData
	var volumeTips []string
	head := []string{"Cohort", "Leads", "Base (mature leads)", "Still open"}
	numeric := []bool{false, true, true, true}
	for _, ks := range steps {
		head, numeric = append(head, stepName(ks.From, ks.To)), append(numeric, true)
	}
	t := table{Caption: fmt.Sprintf("By month of lead creation; rates within %d days, of each cohort's base (immature cohorts in grey)", rep.WindowDays),
		Head: head, Numeric: numeric}
	lastMature := -1
	for i, m := range rep.ByMonth {
		if !m.Immature {
			lastMature = i
		}
	}
	for i, m := range rep.ByMonth {
		months[i] = fmtMonth(m.Month)
		volume = append(volume, opts.BarData{Value: leads(m.Funnel)})
		volumeTips = append(volumeTips, fmt.Sprintf("%s\n%s created", months[i], fmtCount(leads(m.Funnel), "lead")))
		label := months[i]
		if m.Immature {
			label += " (immature)"
		}
		cells := []cell{textCell(label), intCell(int(leads(m.Funnel))), intCell(int(m.Base)), pctCell(m.OpenShare)}
		for k, ks := range steps {
			st, ok := m.Step(ks.From, ks.To)
			if !ok || st.Den == 0 {
				mature[k] = append(mature[k], opts.LineData{Value: "-"})
				young[k] = append(young[k], opts.LineData{Value: "-"})
				rateTips[k] = append(rateTips[k], "")
				cells = append(cells, cell{Text: dash, Sort: sortKey(-1)})
				continue
			}
			point := opts.LineData{Value: pct(st.Rate), Symbol: "circle", SymbolSize: 8}
			gap := opts.LineData{Value: "-"}
			switch {
			case m.Immature:
				point.Symbol = "emptyCircle"
				mature[k], young[k] = append(mature[k], gap), append(young[k], point)
			case i == lastMature:
				// The dashed line starts from the last mature point.
				mature[k], young[k] = append(mature[k], point), append(young[k], opts.LineData{Value: pct(st.Rate), SymbolSize: 0})
			default:
				mature[k], young[k] = append(mature[k], point), append(young[k], gap)
			}
			tip := fmt.Sprintf("%s\n%s: %s", months[i], stepName(ks.From, ks.To), fmtOf(st.Num, st.Den))
			if m.Immature {
				tip += "\nimmature: will still rise"
			}
			rateTips[k] = append(rateTips[k], tip)
			cells = append(cells, ofCell(st.Proportion))
		}
		rw := row{Cells: cells}
		if m.Immature {
			rw.Class = "immature"
		}
		t.Rows = append(t.Rows, rw)
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-cohorts", "Conversion by cohort month", funnelWhen(rep), 440)...)
	b.SetGlobalOptions(
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "conversion", AxisLabel: &opts.AxisLabel{Formatter: axisFormatter("%")}}),
	)
	b.ExtendYAxis(opts.YAxis{Type: "value", Name: "leads", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	b.SetXAxis(months)
	b.AddSeries("leads (right axis)", volume, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#dbeafe"}),
		charts.WithBarChartOpts(opts.BarChart{YAxisIndex: 1}))
	l := charts.NewLine()
	colors := []string{colorBlue, colorPurple, colorGreen}
	patch := []map[string]any{noMinLabels(), itemTips(0, volumeTips)}
	for k, ks := range steps {
		n := stepName(ks.From, ks.To)
		c := colors[k%len(colors)]
		so := seriesColor(c)
		if ref, ok := referenceFor(rep, ks.From, ks.To); ok {
			so = append(so, markY(pct(ref.Rate), ref.Label, colorOrange)...)
		}
		l.AddSeries(n, mature[k], so...)
		l.AddSeries(n+" so far (immature)", young[k], charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: 2, Type: "dashed"}))
		// Series 0 is the volume bar; series 1+2k and 2+2k this step's lines.
		patch = append(patch, itemTips(1+2*k, rateTips[k]), itemTips(2+2*k, rateTips[k]))
	}
	b.Overlap(l)
	cv, err := render("chart-cohorts", 440, "Conversion rates by cohort month, immature months dashed", b, patches(patch...))
	if err != nil {
		return section{}, err
	}
	s.Intro = fmt.Sprintf("Each month's leads followed for %d days. Dashed lines and hollow points are immature cohorts: "+
		"their window has not closed, so their rates are conversion so far and will still rise. Do not read them as a drop.", rep.WindowDays)
	s.Charts, s.Tables = []chartView{cv}, []table{t}
	return s, nil
}

// periodSection counts stage entries per calendar month, partial months
// marked.
func periodSection(rep *analysis.Report, _ Options) (section, error) {
	if len(rep.Period) == 0 {
		return section{}, nil
	}
	months := make([]string, len(rep.Period))
	head := append([]string{"Month"}, titleAll(rep.Stages)...)
	t := table{Caption: "Entries into each stage by calendar month", Head: head, Numeric: append([]bool{false}, trues(len(rep.Stages))...)}
	series := make([][]opts.LineData, len(rep.Stages))
	tips := make([][]string, len(rep.Stages))
	var created []opts.BarData
	var notes []string
	for i, p := range rep.Period {
		months[i] = fmtMonth(p.Month)
		label := months[i]
		if p.Partial {
			label += " (partial)"
			when := "the data ends " + fmtDate(rep.DataEnd)
			if i == 0 && i < len(rep.Period)-1 {
				when = "the data starts during it"
			}
			notes = append(notes, fmt.Sprintf("%s is a partial month (%s): its counts are not comparable with whole months.", months[i], when))
		}
		cells := []cell{textCell(label)}
		for k, s := range rep.Stages {
			n := p.Entries.Get(s)
			cells = append(cells, intCell(int(n)))
			tips[k] = append(tips[k], fmt.Sprintf("%s\n%s: %s", label, stageTitle(s), fmtInt(int(n))))
			symbol := "circle"
			if p.Partial {
				symbol = "emptyCircle"
			}
			if k == 0 {
				created = append(created, opts.BarData{Value: n})
			} else {
				series[k] = append(series[k], opts.LineData{Value: n, Symbol: symbol, SymbolSize: 6})
			}
		}
		rw := row{Cells: cells}
		if p.Partial {
			rw.Class = "immature"
		}
		t.Rows = append(t.Rows, rw)
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-period", "Stage entries per calendar month", "Data up to "+fmtDate(rep.DataEnd), 420)...)
	b.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "entries"}))
	b.ExtendYAxis(opts.YAxis{Type: "value", Name: stageTitle(rep.Stages[0]) + "s created", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	b.SetXAxis(months)
	b.AddSeries(stageTitle(rep.Stages[0])+"s created (right axis)", created, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#dbeafe"}),
		charts.WithBarChartOpts(opts.BarChart{YAxisIndex: 1}))
	l := charts.NewLine()
	palette := []string{colorBlue, colorPurple, "#0891b2", "#ca8a04", colorGreen, "#db2777"}
	patch := []map[string]any{noMinLabels(), itemTips(0, tips[0])}
	for k := 1; k < len(rep.Stages); k++ {
		l.AddSeries(stageTitle(rep.Stages[k]), series[k], seriesColor(palette[(k-1)%len(palette)])...)
		patch = append(patch, itemTips(k, tips[k]))
	}
	b.Overlap(l)
	cv, err := render("chart-period", 420, "Stage entries per calendar month", b, patches(patch...))
	if err != nil {
		return section{}, err
	}
	intro := "What happened in each month, whatever month the lead was created in: leads created, stages entered, deals won."
	return section{ID: "period", Title: "Volumes by calendar month", Intro: intro,
		Charts: []chartView{cv}, Tables: []table{t}, Notes: notes, Stacked: true}, nil
}
