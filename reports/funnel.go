package reports

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/funnel-dev/funnel/analysis"
)

// WriteFunnel writes the monthly funnel report for r to w: one
// self-contained HTML file (echarts inlined, no network) with headline cards
// compared with the month before and the year before, the funnel with step
// rates, conversion by channel (bars and a small funnel per channel), lift by
// action, the cohort trend with immature cohorts marked, stage entries by
// month, time in stage against the SLA, recycling, data-quality notes and
// definitions. Every chart has its numbers in a table. It returns
// ErrNoResult when r is nil.
func WriteFunnel(w io.Writer, r *analysis.Report, o Options) error {
	if r == nil {
		return ErrNoResult
	}
	p := page{
		Title:       o.Title,
		GeneratedAt: o.GeneratedAt,
		Subtitle:    funnelSubtitle(r),
		Cards:       funnelCards(r),
		Definitions: funnelDefinitions(r),
	}
	if p.Title == "" {
		p.Title = "Lead funnel report"
	}
	builders := []func(*analysis.Report, Options) (section, error){
		funnelSection,
		channelSection,
		channelMultiplesSection,
		attributeSection,
		actionSection,
		cohortSection,
		periodSection,
		timeInStageSection,
		recyclingSection,
		dataQualitySection,
	}
	for _, b := range builders {
		s, err := b(r, o)
		if err != nil {
			return fmt.Errorf("funnel page: %w", err)
		}
		if s.ID != "" {
			p.Sections = append(p.Sections, s)
		}
	}
	return writePage(w, p)
}

// fr is a view of a report with lookups by stage name.
type fr struct{ *analysis.Report }

// idx returns the position of stage in the funnel, or -1.
func (r fr) idx(stage string) int {
	for i, s := range r.Stages {
		if s == stage {
			return i
		}
	}
	return -1
}

// first, last and qualified name the first stage (lead), the last (won)
// and the hand-over stage (mql).
func (r fr) first() string { return stageAt(r.Stages, 0) }
func (r fr) last() string  { return stageAt(r.Stages, len(r.Stages)-1) }
func (r fr) qualified() string {
	if r.Qualified != "" {
		return r.Qualified
	}
	return stageAt(r.Stages, 1)
}

func stageAt(stages []string, i int) string {
	if i < 0 || i >= len(stages) {
		return ""
	}
	return stages[i]
}

// reached returns the number of leads of f that reached stage at any time.
func reached(f analysis.Funnel, stage string) (int64, bool) {
	for _, c := range f.Reached {
		if c.Stage == stage {
			return c.Leads, true
		}
	}
	return 0, false
}

// leads is the number of leads in f (those that reached the first stage).
func leads(f analysis.Funnel) int64 {
	if len(f.Reached) == 0 {
		return 0
	}
	return f.Reached[0].Leads
}

// converted returns how many of f's base reached stage within the window;
// for the first stage that is the whole base.
func converted(r fr, f analysis.Funnel, stage string) (int64, bool) {
	if stage == r.first() {
		return f.Base, true
	}
	for _, c := range f.Conversion {
		if c.Stage == stage {
			return c.Converted, true
		}
	}
	return 0, false
}

// stepRate is the windowed rate from one stage to a later one over f's
// base: leads that reached to within the window over those that reached
// from within the window. ok is false when a stage is missing or nobody
// reached from.
func stepRate(r fr, f analysis.Funnel, from, to string) (rate float64, num, den int64, ok bool) {
	den, okf := converted(r, f, from)
	num, okt := converted(r, f, to)
	if !okf || !okt || den == 0 {
		return 0, num, den, false
	}
	return float64(num) / float64(den), num, den, true
}

// stepName is "mql→sql" written with upper-case stage names: "MQL→SQL".
func stepName(from, to string) string { return stageTitle(from) + "→" + stageTitle(to) }

// stageTitle writes a stage name for display: the usual acronyms (mql,
// sal, sql, …) in capitals, other names with a capital first letter
// ("won" → "Won"). Names from the data are otherwise kept as they are.
func stageTitle(s string) string {
	switch strings.ToLower(s) {
	case "mql", "sal", "sql", "pql", "sdr", "bdr", "mql2", "sql2":
		return strings.ToUpper(s)
	}
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

func funnelSubtitle(r *analysis.Report) string {
	span := "all cohorts"
	switch {
	case r.From != "" && r.To != "":
		span = "cohorts " + r.From + " to " + r.To
	case r.From != "":
		span = "cohorts from " + r.From
	case r.To != "":
		span = "cohorts up to " + r.To
	}
	window := fmt.Sprintf("%d-day conversion window", r.WindowDays)
	if r.WindowFromData {
		window += " (from the data: 90% of wins closed within it)"
	}
	return fmt.Sprintf("Leads created in %s; %s; data up to %s.", span, window, fmtDate(r.DataEnd))
}

// cardMonth picks the calendar month the volume cards describe: the latest
// month in Period that DataEnd covers entirely (DataEnd on or after its last
// day), else the latest month there is.
func cardMonth(r *analysis.Report) string {
	if len(r.Period) == 0 {
		return ""
	}
	for i := len(r.Period) - 1; i >= 0; i-- {
		m, err := time.Parse("2006-01", r.Period[i].Month)
		if err != nil {
			continue
		}
		lastDay := m.AddDate(0, 1, -1)
		if !r.DataEnd.UTC().Before(lastDay) {
			return r.Period[i].Month
		}
	}
	return r.Period[len(r.Period)-1].Month
}

// monthShift returns month (YYYY-MM) moved by n months, or "" if month is
// not a month.
func monthShift(month string, n int) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return ""
	}
	return m.AddDate(0, n, 0).Format("2006-01")
}

// periodEntries returns the entries into stage in calendar month.
func periodEntries(r *analysis.Report, month, stage string) (int64, bool) {
	for _, p := range r.Period {
		if p.Month != month {
			continue
		}
		for _, e := range p.Entries {
			if e.Stage == stage {
				return e.Leads, true
			}
		}
	}
	return 0, false
}

// volumeDelta compares a count with an earlier one: "+12.5% vs 2025-05 (1,200)".
func volumeDelta(now int64, then int64, ok bool, month, label string) delta {
	if !ok {
		return delta{Label: label + " (" + month + ")", Text: "no data", Class: "flat"}
	}
	d := delta{Label: fmt.Sprintf("vs %s (%s)", month, fmtInt(int(then)))}
	switch {
	case then == 0:
		d.Text, d.Class = "new", "flat"
	default:
		ch := float64(now-then) / float64(then)
		d.Text = fmtSigned(ch*100, 1) + "%"
		d.Class = direction(ch)
	}
	return d
}

// rateDelta compares a rate with an earlier one in percentage points.
func rateDelta(now analysis.Proportion, then *analysis.Proportion, p *float64, month string) delta {
	if then == nil || then.Den == 0 {
		return delta{Label: "vs " + month, Text: "no data", Class: "flat"}
	}
	ch := now.Rate - then.Rate
	label := fmt.Sprintf("vs %s (%s)", month, fmtPct(then.Rate))
	if p != nil {
		label += ", p " + fmtP(*p)
	}
	return delta{Label: label, Text: fmtSigned(ch*100, 1) + " pp", Class: direction(ch)}
}

func direction(ch float64) string {
	switch {
	case ch > 0:
		return "up"
	case ch < 0:
		return "down"
	default:
		return "flat"
	}
}

func funnelCards(rep *analysis.Report) []card {
	r := fr{rep}
	var cards []card
	if m := cardMonth(rep); m != "" {
		prev, yago := monthShift(m, -1), monthShift(m, -12)
		for _, v := range []struct{ stage, label string }{
			{r.first(), "Leads created"}, {r.qualified(), "New " + stageTitle(r.qualified()) + "s"},
			{"sql", "New SQLs"}, {r.last(), "Wins (" + r.last() + ")"},
		} {
			if r.idx(v.stage) < 0 {
				continue
			}
			now, _ := periodEntries(rep, m, v.stage)
			c := card{Label: v.label + " in " + m, Value: fmtInt(int(now)), Detail: "entries in the calendar month"}
			pv, pok := periodEntries(rep, prev, v.stage)
			yv, yok := periodEntries(rep, yago, v.stage)
			c.Changes = []delta{volumeDelta(now, pv, pok, prev, "month before"), volumeDelta(now, yv, yok, yago, "year before")}
			cards = append(cards, c)
		}
	}
	if cmp := rep.Comparison; cmp != nil {
		for _, rc := range cmp.Rates {
			if rc.From != r.qualified() || (rc.To != "sql" && rc.To != r.last()) {
				continue
			}
			c := card{
				Label:  fmt.Sprintf("%s, cohort %s", stepName(rc.From, rc.To), cmp.Month),
				Value:  fmtPct(rc.Current.Rate),
				Detail: fmt.Sprintf("%s of %s within %d days", fmtInt(int(rc.Current.Num)), fmtInt(int(rc.Current.Den)), rep.WindowDays),
				Changes: []delta{rateDelta(rc.Current, rc.Previous, rc.PreviousPValue, cmp.PreviousMonth),
					rateDelta(rc.Current, rc.YearAgo, rc.YearAgoPValue, cmp.YearAgoMonth)},
			}
			if cmp.Immature {
				c.Detail += "; immature cohort: may still rise"
			}
			cards = append(cards, c)
		}
	}
	return cards
}

func funnelDefinitions(r *analysis.Report) []definition {
	return []definition{
		{"Cohort", "The leads created in one calendar month. Cohort figures follow those leads wherever they went later."},
		{"Conversion window", fmt.Sprintf("A lead counts as converted to a stage only if it got there within %d days of being created, so old and new cohorts are judged over the same time.", r.WindowDays)},
		{"Mature and immature", "A lead is mature once its window has closed (created at least the window's length before the end of the data). An immature cohort still has leads whose window is open: its rates can only go up and are shown marked, not as a drop."},
		{"Open lead", "An immature lead with no outcome yet. It is never counted as lost."},
		{"Reached", "A lead reached a stage if it entered it or any later stage (a referral that came in as SQL also counts as MQL). A lead that passed a stage several times counts once."},
		{"Step rate", "Of the leads that reached one stage within the window, the share that reached the next one within the window."},
		{"Base", "The leads a rate is measured on: the group's mature leads, or all its leads when none is mature yet (then the rate is conversion so far)."},
		{"95% interval", "Wilson score interval: the range of rates compatible with the counts; wide for small groups."},
		{"Lift", "How many times more often leads that had done an action converted than leads that had not, with its 95% interval (Katz log method). An interval that excludes 1, with a small p-value, is a real difference, not chance."},
		{"Landmark", fmt.Sprintf("The age at which actions are compared (%s after creation): only leads not yet %s at that age, and only what they had done before it. Counting actions up to the moment a lead qualifies instead would give leads that qualify quickly (often the winners) less time to act, and make steady harmless activity look harmful.", landmarkWords(r.ActionLandmarkDays), stageTitle(fr{r}.qualified()))},
		{"Entries in a month", "Counts by calendar month of when things happened (leads created, MQLs reached, deals won in that month), as a booking report shows them."},
		{"Recycled", "A qualified lead sent back to nurturing; returned means it became qualified again later."},
		{"Published reference", "A rule-of-thumb figure quoted in the B2B marketing literature, drawn for context only; your own process defines its stages differently."},
	}
}
