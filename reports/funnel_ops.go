package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/analysis"
)

// speedSpan picks the span that measures speed to lead: from the qualified
// stage to the next funnel stage (mql→sal), else the first span that starts
// at the qualified stage.
func speedSpan(r fr) (from, to string, ok bool) {
	q := r.qualified()
	next := stageAt(r.Stages, r.idx(q)+1)
	var first *analysis.Durations
	for i, d := range r.TimeInStage.Overall {
		if d.From == q && d.To == next {
			return q, next, true
		}
		if d.From == q && first == nil {
			first = &r.TimeInStage.Overall[i]
		}
	}
	if first != nil {
		return first.From, first.To, true
	}
	return "", "", false
}

// timeInStageSection shows the days between stages and speed to lead by
// channel against the SLA.
func timeInStageSection(rep *analysis.Report, o Options) (section, error) {
	s := section{ID: "time-in-stage", Title: "Time in stage and speed to lead"}
	tis := rep.TimeInStage
	if len(tis.Overall) == 0 {
		s.Intro = "No stage has explicit entry times for two stages in a row, so no time in stage can be measured."
		return s, nil
	}
	r := fr{rep}
	spans := make([]string, len(tis.Overall))
	var p25, med, p75, p90 []opts.BarData
	spanTips := make([][]string, 4)
	t := table{Caption: "Time between first entries, all leads with both entries (hours under 3 days)", Numeric: []bool{false, true, true, true, true, true},
		Head: []string{"From → to", "Leads", "25th pct", "Median", "75th pct", "90th pct"}}
	for i, d := range tis.Overall {
		spans[i] = stageTitle(d.From) + " → " + stageTitle(d.To)
		p25 = append(p25, opts.BarData{Value: num(d.P25, 2)})
		med = append(med, opts.BarData{Value: num(d.Median, 2)})
		p75 = append(p75, opts.BarData{Value: num(d.P75, 2)})
		p90 = append(p90, opts.BarData{Value: num(d.P90, 2)})
		for k, q := range []struct {
			name string
			days float64
		}{{"25th percentile", d.P25}, {"median", d.Median}, {"75th percentile", d.P75}, {"90th percentile", d.P90}} {
			spanTips[k] = append(spanTips[k], fmt.Sprintf("%s\n%s: %s (%s)", spans[i], q.name, fmtDuration(q.days), fmtCount(d.Leads, "lead")))
		}
		t.Rows = append(t.Rows, row{Cells: []cell{textCell(spans[i]), intCell(int(d.Leads)), durationCell(d.P25),
			durationCell(d.Median), durationCell(d.P75), durationCell(d.P90)}})
	}
	h := barsHeight(len(spans), 60)
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-time-in-stage", "Days between stages", funnelWhen(rep), h)...)
	b.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "days", NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)
	b.SetXAxis(spans).XYReversal()
	b.AddSeries("25th percentile", p25, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#bfdbfe"}))
	b.AddSeries("median", med, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorBlue}))
	b.AddSeries("75th percentile", p75, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1e40af"}))
	b.AddSeries("90th percentile", p90, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorGrey}))
	overall, err := render("chart-time-in-stage", h, "Days between stages: quartiles and 90th percentile", b,
		patches(itemTips(0, spanTips[0]), itemTips(1, spanTips[1]), itemTips(2, spanTips[2]), itemTips(3, spanTips[3])))
	if err != nil {
		return section{}, err
	}
	s.Charts, s.Tables = []chartView{overall}, []table{t}
	s.Intro = "How long leads took from first entering one stage to first entering the next, over leads with an entry " +
		"time for both. Half of the leads were faster than the median; one in ten took longer than the 90th percentile."

	from, to, ok := speedSpan(r)
	if !ok {
		return s, nil
	}
	sla, slaLabel := o.SLADays, "your SLA: "+fmtDuration(o.SLADays)
	if sla <= 0 {
		ref := rep.SLAReferenceDays
		if ref <= 0 {
			ref = analysis.SLAReferenceDays
		}
		sla, slaLabel = ref, "reference: a common SLA, a response within "+fmtDuration(ref)
	}
	var rows []analysis.ChannelDurations
	for _, d := range tis.ByChannel {
		if d.From == from && d.To == to && d.Leads > 0 {
			rows = append(rows, d)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Median != rows[j].Median {
			return rows[i].Median < rows[j].Median
		}
		return rows[i].Channel < rows[j].Channel
	})
	if len(rows) == 0 {
		return s, nil
	}
	// Speed to lead in hours when every median is under hoursBelowDays
	// days (the usual case: an SLA is a matter of hours), else in days.
	unit, scale := "hours", 24.0
	for _, d := range rows {
		if d.Median >= hoursBelowDays {
			unit, scale = "days", 1
		}
	}
	names := make([]string, len(rows))
	var meds []opts.BarData
	var labels, tips, over []string
	ct := table{Caption: fmt.Sprintf("Speed to lead (%s) by channel, fastest first", stepName(from, to)),
		Numeric: []bool{false, true, true, true}, Head: []string{"Channel", "Leads", "Median", "90th pct"}}
	for i, d := range rows {
		names[i] = o.Labels.AsWritten(d.Channel)
		meds = append(meds, opts.BarData{Value: num(d.Median*scale, 1)})
		labels = append(labels, fmtDuration(d.Median))
		tips = append(tips, fmt.Sprintf("%s\nmedian %s, 90th percentile %s\nover %s", names[i], fmtDuration(d.Median), fmtDuration(d.P90), fmtCount(d.Leads, "lead")))
		rw := row{Cells: []cell{textCell(names[i]), intCell(int(d.Leads)), durationCell(d.Median), durationCell(d.P90)}}
		if d.Median > sla {
			over = append(over, names[i])
			rw.Class = "over-sla"
		}
		ct.Rows = append(ct.Rows, rw)
	}
	h2 := barsHeight(len(rows), 28)
	c := charts.NewBar()
	c.SetGlobalOptions(baseOpts("chart-speed-to-lead", fmt.Sprintf("Speed to lead: median %s %s by channel", unit, stepName(from, to)), funnelWhen(rep), h2)...)
	c.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "median " + unit, NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 260, Overflow: "truncate", Interval: "0"}}),
	)
	c.SetXAxis(names).XYReversal()
	c.AddSeries("median "+unit, meds, join([]charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: colorBlue}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"})},
		markXTop(num(sla*scale, 1), slaLabel, colorOrange))...)
	speed, err := render("chart-speed-to-lead", h2, "Median speed to lead by channel against the SLA", c,
		patches(map[string]any{"grid": map[string]any{"top": 84, "right": 72}}, itemLabels(0, labels), itemTips(0, tips)))
	if err != nil {
		return section{}, err
	}
	s.Charts = append(s.Charts, speed)
	s.Tables = append(s.Tables, ct)
	if len(over) == 0 {
		s.Notes = append(s.Notes, "Every channel's median speed to lead is within the line ("+slaLabel+").")
	} else {
		s.Notes = append(s.Notes, "Channels whose median speed to lead is above the line ("+slaLabel+"): "+strings.Join(over, ", ")+".")
	}
	return s, nil
}

// recyclingSection follows qualified leads sent back to nurture.
func recyclingSection(rep *analysis.Report, _ Options) (section, error) {
	rc := rep.Recycling
	s := section{ID: "recycling", Title: "Recycling: leads sent back to nurture"}
	q := stageTitle(fr{rep}.qualified())
	if rc.Qualified == 0 {
		s.Intro = "No lead has a " + q + " stage row, so recycling cannot be followed."
		return s, nil
	}
	labels := []string{q, "recycled", "came back to " + q}
	values := []int64{rc.Qualified, rc.Recycled, rc.Returned}
	for _, c := range rc.ReturnedReached {
		labels = append(labels, "came back, then "+stageTitle(c.Stage))
		values = append(values, c.Leads)
	}
	t := table{Caption: "Leads with explicit stage rows", Head: []string{"Group", "Leads"}, Numeric: []bool{false, true}}
	bars := make([]opts.BarData, len(values))
	texts := make([]string, len(values))
	for i, v := range values {
		bars[i] = opts.BarData{Value: v}
		texts[i] = fmtInt(int(v))
		t.Rows = append(t.Rows, row{Cells: []cell{textCell(labels[i]), intCell(int(v))}})
	}
	h := barsHeight(len(labels), 34)
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-recycling", "What happened to recycled leads", funnelWhen(rep), h)...)
	b.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "leads", NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)
	b.SetXAxis(labels).XYReversal()
	b.AddSeries("leads", bars, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPurple}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	tips := make([]string, len(values))
	for i := range values {
		tips[i] = labels[i] + ": " + fmtCount(values[i], "lead")
	}
	cv, err := render("chart-recycling", h, "Qualified, recycled and returned leads", b,
		patches(map[string]any{"grid": map[string]any{"right": 72}}, itemLabels(0, texts), itemTips(0, tips)))
	if err != nil {
		return section{}, err
	}
	s.Intro = fmt.Sprintf("Of the leads that became %s, how many sales sent back to nurturing (stages %v), how many came back, "+
		"and how far those got after coming back.", q, strings.Join(rc.Stages, ", "))
	s.Charts, s.Tables = []chartView{cv}, []table{t}
	if rc.ByImplication != 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("The funnel counts %s that reached %s; %s of them have a stage row for %s of their own and "+
			"are followed here. The other %s reached %s only by entering a later stage directly (a referral arriving as a later stage, a "+
			"win without stage rows), so there is no %s entry to follow.", fmtCount(rc.ReachedQualified, "lead"), q,
			fmtInt(int(rc.Qualified)), q, fmtInt(int(rc.ByImplication)), q, q))
	}
	return s, nil
}

// durationCell is a duration in days shown with fmtDuration, sorted by days.
func durationCell(days float64) cell { return cell{Text: fmtDuration(days), Sort: sortKey(days)} }

// dataQualitySection lists what the data got wrong or left implicit.
func dataQualitySection(rep *analysis.Report, _ Options) (section, error) {
	dq := rep.DataQuality
	kv := func(what string, n int64, meaning string) row {
		return row{Cells: []cell{textCell(what), intCell(int(n)), textCell(meaning)}}
	}
	t := table{Caption: "Data-quality findings", Head: []string{"Finding", "Rows or leads", "What it means"}, Numeric: []bool{false, true, false},
		Rows: []row{
			kv("events of unknown leads", dq.OrphanEvents, "left out of every table"),
			kv("stage rows of unknown leads", dq.OrphanStages, "left out of every table"),
			kv("outcomes of unknown leads", dq.OrphanOutcomes, "left out of every table"),
			kv("events dated before the lead was created", dq.EventsBeforeCreation, "check time zones and imports"),
			kv("stage rows dated before the lead was created", dq.StagesBeforeCreation, "check time zones and imports"),
			kv("outcomes dated before the lead was created", dq.OutcomesBeforeCreation, "check time zones and imports"),
			kv("leads entering stages out of order", dq.OutOfOrderLeads, "a later stage entered before an earlier one"),
			kv("leads that skipped a stage", dq.SkippedLeads, "counted as having reached it (e.g. referrals entering at SQL)"),
		}}
	for _, sk := range dq.Skipped {
		if sk.Leads > 0 {
			t.Rows = append(t.Rows, kv("reached "+stageTitle(sk.Stage)+" only by skipping it", sk.Leads, "no entry time of their own: not in time in stage"))
		}
	}
	for _, o := range dq.OtherStages {
		t.Rows = append(t.Rows, kv("stage rows named "+o.Stage, o.Rows, "not a funnel or recycle stage: not counted in the funnel"))
	}
	var notes []string
	if n := dq.OrphanEvents + dq.OrphanStages + dq.OrphanOutcomes; n > 0 {
		notes = append(notes, fmt.Sprintf("%s rows refer to leads that are not in the leads file.", fmtInt(int(n))))
	}
	if dq.OutOfOrderLeads > 0 {
		notes = append(notes, fmt.Sprintf("%s leads have stages out of order; their times in stage are left out where negative.", fmtInt(int(dq.OutOfOrderLeads))))
	}
	if len(notes) == 0 {
		notes = append(notes, "No orphan rows and no out-of-order stages.")
	}
	return section{ID: "data-quality", Title: "Data quality", Intro: "What the data got wrong or left implicit, and how the report treated it.",
		Tables: []table{t}, Notes: notes, Stacked: true}, nil
}
