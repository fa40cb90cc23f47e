package reports

import (
	"fmt"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/calibrate"
)

// decisionSection sets today's MQLs (the MQL stage, the current model)
// beside the proposed ones on the same test leads, and, with a current
// model, shows both month by month.
func decisionSection(r *calibrate.Result, _ Labels) (section, error) {
	d := r.Decision
	s := section{ID: "decision", Title: "The decision: today's MQLs against the proposed scoring"}
	if d.TestLeads == 0 {
		s.Intro = "The test period has no leads: there is nothing to compare on."
		return s, nil
	}
	verb := targetVerb(r)
	s.Intro = fmt.Sprintf("Every figure is what would have happened to the same %s leads of the test period (%s), each counted once, "+
		"had each way of choosing MQLs been used. %s of them %s.",
		formatCount(d.TestLeads), testPeriod(r), formatCount(d.Targets), verb)
	if k := r.Leads.SampleEvery; k > 1 {
		s.Intro += fmt.Sprintf(" They are the test leads of the sample the calibration read, 1 lead in every %s in load order: "+
			"counts of leads are of the sample; MQLs per month are scaled to every lead.", formatCount(k))
	}
	t := table{Caption: "Today against the proposed scoring, test period", Head: []string{""}, Numeric: []bool{false}}
	var cols []calibrate.BacktestTotals
	var changed []*calibrate.ChangedSide
	for i := range d.Comparisons {
		c := &d.Comparisons[i]
		t.Head, t.Numeric = append(t.Head, basisName(c.Basis).heading), append(t.Numeric, true)
		cols, changed = append(cols, c.Today), append(changed, &c.Changed)
	}
	t.Head, t.Numeric = append(t.Head, "Proposed scoring"), append(t.Numeric, true)
	cols, changed = append(cols, d.Proposed), append(changed, nil)
	line := func(name string, value func(k int, c calibrate.BacktestTotals) cell) row {
		rw := row{Cells: []cell{textCell(name)}}
		for k, c := range cols {
			rw.Cells = append(rw.Cells, value(k, c))
		}
		return rw
	}
	t.Rows = []row{
		line("MQL when", func(k int, c calibrate.BacktestTotals) cell {
			if k < len(d.Comparisons) && d.Comparisons[k].Basis == calibrate.BasisMQLStage {
				return textCell("entered the MQL stage")
			}
			return cell{Text: "score ≥ " + formatCount(c.Threshold) + " points", Sort: fmt.Sprint(c.Threshold)}
		}),
		line("MQLs per month", func(_ int, c calibrate.BacktestTotals) cell { return floatCell(c.MQLsPerMonth, 1) }),
		line("MQLs in the test period", func(_ int, c calibrate.BacktestTotals) cell { return intCell(c.MQLs) }),
		line(fmt.Sprintf("MQLs that %s (of %s)", verb, formatCount(d.Targets)), func(_ int, c calibrate.BacktestTotals) cell { return intCell(c.WinsCaptured) }),
		line(fmt.Sprintf("Precision: share of MQLs that %s", verb), func(_ int, c calibrate.BacktestTotals) cell { return pctCell(c.Precision) }),
		line(fmt.Sprintf("Recall: share of leads that %s that were MQLs", verb), func(_ int, c calibrate.BacktestTotals) cell { return pctCell(c.Recall) }),
	}
	if len(d.Comparisons) > 0 {
		side := func(name string, n, wins func(*calibrate.ChangedSide) int) row {
			return line(name, func(k int, _ calibrate.BacktestTotals) cell {
				if changed[k] == nil {
					return textCell(dash)
				}
				return textCell(formatCount(n(changed[k])) + " (" + formatCount(wins(changed[k])) + " " + verb + ")")
			})
		}
		t.Rows = append(t.Rows,
			side("Leads that would become MQLs with the proposed scoring",
				func(c *calibrate.ChangedSide) int { return c.NewMQLs }, func(c *calibrate.ChangedSide) int { return c.NewMQLWins }),
			side("Leads that would stop being MQLs with the proposed scoring",
				func(c *calibrate.ChangedSide) int { return c.DroppedMQLs }, func(c *calibrate.ChangedSide) int { return c.DroppedMQLWins }),
		)
	} else {
		s.Notes = append(s.Notes, "The data has no MQL stage and no current scoring model was given, so there is nothing of today's to compare with.")
	}
	for _, c := range d.Comparisons {
		if c.Basis == calibrate.BasisMQLStage {
			s.Notes = append(s.Notes, "The MQL stage counts every lead that entered it at any time, also those that entered it "+
				"only after showing they would buy, so its capture of leads that "+verb+" is flattering; the scores see only what "+
				"a lead had done at the moment it was scored.")
		}
	}
	s.Tables, s.Stacked = []table{t}, true
	if bt := r.Backtest; bt != nil && len(bt.Months) > 0 {
		cv, err := backtestChart(r)
		if err != nil {
			return section{}, err
		}
		s.Charts = []chartView{cv}
	}
	return s, nil
}

// backtestChart draws the current and the proposed model's MQLs and
// captured targets by month of lead creation; a month only partly inside
// the test period is named so.
func backtestChart(r *calibrate.Result) (chartView, error) {
	bt := r.Backtest
	months := make([]string, len(bt.Months))
	var curM, propM []opts.BarData
	var curW, propW []opts.LineData
	for i, m := range bt.Months {
		months[i] = monthLabel(m.Month, r)
		curM = append(curM, opts.BarData{Value: m.Current.MQLs})
		propM = append(propM, opts.BarData{Value: m.Proposed.MQLs})
		curW = append(curW, opts.LineData{Value: m.Current.WinsCaptured})
		propW = append(propW, opts.LineData{Value: m.Proposed.WinsCaptured})
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-backtest", "MQLs and MQLs that "+targetVerb(r)+", by month the leads were created",
		"Current scoring model against the proposed one, test period", 420)...)
	b.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "MQLs"}))
	b.ExtendYAxis(opts.YAxis{Type: "value", Name: "MQLs that " + targetVerb(r), Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	b.SetXAxis(months)
	b.AddSeries("MQLs, current", curM, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorGrey}))
	b.AddSeries("MQLs, proposed", propM, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorBlue}))
	l := charts.NewLine()
	l.AddSeries(targetVerb(r)+", current (right axis)", curW, join(seriesColor("#4b5563"),
		[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1})})...)
	l.AddSeries(targetVerb(r)+", proposed (right axis)", propW, join(seriesColor(colorGreen),
		[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1})})...)
	b.Overlap(l)
	return render("chart-backtest", 420, "Monthly MQLs and MQLs that reached the target under the current and proposed model", b,
		map[string]any{"grid": map[string]any{"top": 84}})
}

// monthLabel turns "2025-08" into "Aug 2025", marked "(part)" when the test
// period starts after its first day or ends before its last.
func monthLabel(month string, r *calibrate.Result) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	label := formatMonth(m)
	from, to := r.Options.TestFrom.UTC(), r.Options.TestTo.UTC()
	lastDay := m.AddDate(0, 1, -1).Day()
	if (from.Format("2006-01") == month && from.Day() > 1) || (to.Format("2006-01") == month && to.Day() < lastDay) {
		label += " (part)"
	}
	return label
}
