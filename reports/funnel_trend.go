package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

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
func actionSection(rep *analysis.Report, o Options) (section, error) {
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
	// One table per stage, so that each fits the page with its counts. A
	// calibration's adjusted effects go in the last table, beside the lift
	// on the stage nearest its target.
	adjusted := hasAdjusted(rep.ByAction)
	tables := make([]table, len(liftStages))
	for k, st := range liftStages {
		n := stepName(r.first(), st)
		tables[k] = table{Caption: fmt.Sprintf("Lift on reaching %s. %s (%s leads); conversion within %d days of creation", stageTitle(st),
			landmarkSentence(rep), fmtInt(int(leads(rep.ActionPopulation))), rep.WindowDays),
			Head:    []string{"Action", "Leads who had done it", n + " with", n + " without", "Lift " + stageTitle(st) + " [95% CI]", "p"},
			Numeric: []bool{false, true, true, true, true, true}}
		if adjusted && k == len(liftStages)-1 {
			tables[k].Head = append(tables[k].Head, "Adjusted odds ratio [95% CI]")
			tables[k].Numeric = append(tables[k].Numeric, true)
		}
	}
	var names, labels, tips []string
	var bars []opts.BarData
	var undefined []string
	for _, a := range rows {
		for k, st := range liftStages {
			cells := []cell{textCell(o.Labels.AsWritten(a.Action)), intCell(int(leads(a.Funnel)))}
			if l, ok := liftFor(a, st); ok {
				cells = append(cells, ofCell(l.With), ofCell(l.Without), ratioCell(l), pCell(l.PValue))
			} else {
				cells = append(cells, textCell(dash), textCell(dash), textCell(dash), textCell(dash))
			}
			if adjusted && k == len(liftStages)-1 {
				cells = append(cells, adjustedCell(a.Adjusted))
			}
			tables[k].Rows = append(tables[k].Rows, row{Cells: cells})
		}
		if l, ok := liftFor(a, target); ok && l.Ratio != nil {
			names = append(names, o.Labels.AsWritten(a.Action))
			bars = append(bars, opts.BarData{Value: num(*l.Ratio, 2)})
			labels = append(labels, fmtFloat(*l.Ratio, 2)+"×")
			tips = append(tips, fmt.Sprintf("%s\nlift %s×, 95%% interval %s\nwith: %s\nwithout: %s", o.Labels.AsWritten(a.Action), fmtFloat(*l.Ratio, 2),
				ratioInterval(l), fmtOf(l.With.Num, l.With.Den), fmtOf(l.Without.Num, l.Without.Den)))
		} else {
			undefined = append(undefined, o.Labels.AsWritten(a.Action))
		}
	}
	height := barsHeight(len(names), 28)
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-actions", "Lift of each action on reaching "+stageTitle(target), funnelWhen(rep), height)...)
	b.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "lift (× the rate of leads who had not); 1 = no difference",
			NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 260, Overflow: "truncate", Interval: "0"}}),
	)
	b.SetXAxis(names).XYReversal()
	b.AddSeries("lift", bars, join([]charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: colorBlue}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"})},
		markXTop(1, "1 = no lift", "#6b7280"))...)
	// A bar under 1× ends left of the 1× line: its label goes inside the
	// bar's end, so the line never runs through it.
	inside := make([]any, len(bars))
	for k, bar := range bars {
		if v, ok := bar.Value.(float64); ok && v < 1 {
			inside[k] = map[string]any{"label": map[string]any{"position": "insideRight", "color": "#ffffff"}}
		}
	}
	labelGround := map[string]any{"series": []any{map[string]any{"data": inside}}}
	cv, err := render("chart-actions", height, "Lift of each action on conversion", b, patches(
		map[string]any{"grid": map[string]any{"top": 84, "right": 64}}, labelGround, itemLabels(0, labels), itemTips(0, tips)))
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
	s.Charts, s.Tables, s.Stacked = []chartView{cv}, tables, true
	if rep.ActionLandmarkFromData {
		s.Notes = append(s.Notes, fmt.Sprintf("%s is the median age at which leads first became %s (set it with --landmark).",
			landmarkWords(rep.ActionLandmarkDays), stageTitle(r.qualified())))
	}
	if rep.ActionLandmarkDays >= rep.WindowDays {
		s.Notes = append(s.Notes, fmt.Sprintf("The landmark (%s) is not shorter than the conversion window (%d days): "+
			"few leads can convert within the window after it. Use a shorter --landmark or a longer --window.",
			landmarkWords(rep.ActionLandmarkDays), rep.WindowDays))
	}
	if adjusted {
		s.Notes = append(s.Notes, adjustedNote(rep.ByAction))
	}
	if len(undefined) > 0 {
		s.Notes = append(s.Notes, "No lift (no comparison group or no conversions), in the table only: "+strings.Join(undefined, ", ")+".")
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
		c.Text += " [" + ratioInterval(l) + "]"
	}
	return c
}

// ratioInterval is a lift's 95% interval, "0.27–6.61", or a dash.
func ratioInterval(l analysis.Lift) string {
	if l.RatioLow == nil || l.RatioHigh == nil {
		return dash
	}
	return fmtFloat(*l.RatioLow, 2) + "–" + fmtFloat(*l.RatioHigh, 2)
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

// hasAdjusted reports whether a calibration's effects were attached.
func hasAdjusted(rows []analysis.ActionRow) bool {
	for _, a := range rows {
		if a.Adjusted != nil {
			return true
		}
	}
	return false
}

// adjustedCell shows a calibration's odds ratio with its interval,
// "1.84 [1.52–2.23]", or a dash for an action it did not fit.
func adjustedCell(e *analysis.AdjustedEffect) cell {
	if e == nil {
		return cell{Text: dash, Sort: sortKey(math.NaN())}
	}
	c := floatCell(e.OddsRatio, 2)
	c.Text += " [" + fmtFloat(e.CILow, 2) + "–" + fmtFloat(e.CIHigh, 2) + "]"
	return c
}

// adjustedNote says what the adjusted column measures and how it differs
// from the lift.
func adjustedNote(rows []analysis.ActionRow) string {
	var e *analysis.AdjustedEffect
	for _, a := range rows {
		if a.Adjusted != nil {
			e = a.Adjusted
			break
		}
	}
	unit := "each time a lead does the action"
	if e.HalfLifeDays > 0 {
		unit = "each fresh occurrence of the action (older ones count less, half as much after " + fmtFloat(e.HalfLifeDays, 0) + " days)"
	}
	if e.Transform == "yesno" {
		unit = "having done the action at all"
	}
	return "Adjusted odds ratio, from the calibration: how the odds of reaching " + stageTitle(e.Target) + " multiply for " + unit +
		", with the lead's other actions, channel and profile held the same. Unlike the lift, it separates the action from " +
		"what tends to come with it; a dash marks an action the calibration did not fit."
}
