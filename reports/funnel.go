package reports

import (
	"fmt"
	"io"
	"strings"
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
		Summary:     funnelSummary(r, o.Labels),
		CardGroups:  funnelCards(r),
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

// conversion returns f's windowed conversion into stage, if stage is a
// funnel stage after the first.
func conversion(f analysis.Funnel, stage string) (analysis.StageConversion, bool) {
	for _, c := range f.Conversion {
		if c.Stage == stage {
			return c, true
		}
	}
	return analysis.StageConversion{}, false
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
	span := "every month"
	switch {
	case r.From != "" && r.To != "":
		span = fmtMonth(r.From) + " to " + fmtMonth(r.To)
	case r.From != "":
		span = fmtMonth(r.From) + " on"
	case r.To != "":
		span = "up to " + fmtMonth(r.To)
	}
	window := fmt.Sprintf("%d-day conversion window", r.WindowDays)
	if r.WindowFromData {
		window += " (from the data: 90% of wins closed within it)"
	}
	return fmt.Sprintf("Leads created in %s; %s; data up to %s.", span, window, fmtDate(r.DataEnd))
}

// windowWords says where the window came from.
func windowWords(r *analysis.Report) string {
	if r.WindowFromData {
		return "It was taken from the data: the 90th percentile of days from creation to win, rounded up to a whole day."
	}
	return "It was given with --window."
}

func funnelDefinitions(r *analysis.Report) []definition {
	return []definition{
		{"Cohort", "The leads created in one calendar month. Cohort figures follow those leads wherever they went later."},
		{"Conversion window", fmt.Sprintf("A lead counts as converted to a stage only if it got there within %d days of being created, so old and new cohorts are judged over the same time. %s", r.WindowDays, windowWords(r))},
		{fmt.Sprintf("Converted within %d days", r.WindowDays), "Leads of the base that reached the stage within the window. Every rate on the page is such a count over another one of the same base, shown as \"rate (converted of reached)\"."},
		{"Mature and immature", "A lead is mature once its window has closed (created at least the window's length before the end of the data). An immature cohort still has leads whose window is open: its rates can only go up and are shown marked, not as a drop."},
		{"Open lead", "An immature lead with no outcome yet. It is never counted as lost."},
		{"Reached (any time)", "A lead reached a stage if it entered it or any later stage, at any time up to the end of the data, whatever its age (a referral that came in as SQL also counts as MQL). A lead that passed a stage several times counts once. These counts are not over the base and are never put beside a rate."},
		{"Step rate", "Of the leads that reached one stage within the window, the share that reached the next one within the window."},
		{"Base", "The leads a rate is measured on: the group's mature leads, or all its leads when none is mature yet (then the rate is conversion so far)."},
		{"95% interval", "Wilson score interval: the range of rates compatible with the counts; wide for small groups."},
		{"Could be chance", "A change between two cohorts is tested with the two-proportion z-test (pooled, two-sided, no continuity correction). A p-value under 0.05 is called unlikely to be chance; the p-values are in the tables."},
		{"Percentiles", "Durations between stages count from the first entry into one stage to the first entry into the next, over leads with a stage row for both; percentiles interpolate linearly between leads (as numpy's default does). Durations under 3 days are shown in hours."},
		{"Lift", "How many times more often leads that had done an action converted than leads that had not, with its 95% interval (Katz log method). An interval that excludes 1, with a small p-value, is a real difference, not chance."},
		{"Landmark", fmt.Sprintf("The age at which actions are compared (%s after creation): only leads not yet %s at that age, and only what they had done before it. Counting actions up to the moment a lead qualifies instead would give leads that qualify quickly (often the winners) less time to act, and make steady harmless activity look harmful.", landmarkWords(r.ActionLandmarkDays), stageTitle(fr{r}.qualified()))},
		{"Entries in a month", "Counts by calendar month of when things happened (leads created, MQLs reached, deals won in that month), as a booking report shows them."},
		{"Recycled", "A lead with a stage row for the qualified stage and, after its first one, a row for a recycle stage (sent back to nurturing). Returned: a recycled lead that after its first recycling entered the qualified stage or a later one again. Returned and reached: the returned leads that entered that stage (or a later one, or won) at or after their return."},
		{"Partial month", "A calendar month the data does not cover whole (it starts or ends during it); its counts are not comparable with whole months."},
		{"Published reference", "A rule-of-thumb figure quoted in the B2B marketing literature, drawn for context only; your own process defines its stages differently."},
	}
}
