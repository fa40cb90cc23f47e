package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/funnel-dev/funnel/analysis"
)

// funnelSummary is the plain summary at the top of the funnel page: three
// to five sentences built from the numbers of report.json (Headline,
// Comparison, the channels' key steps, the immature cohorts), significance
// in words; the p-values are in the tables.
func funnelSummary(rep *analysis.Report, l Labels) []string {
	r := fr{rep}
	var out []string
	if h := rep.Headline; h != nil {
		out = append(out, volumeSentences(r, h)...)
	}
	if s := cohortSentence(r); s != "" {
		out = append(out, s)
	}
	if s := channelSentence(r, l); s != "" {
		out = append(out, s)
	}
	if s := immatureSentence(rep); s != "" {
		out = append(out, s)
	}
	return out
}

// volumeSentences say how many leads were created, qualified and won in the
// headline month, against the month before and the year before.
func volumeSentences(r fr, h *analysis.Headline) []string {
	vol := map[string]analysis.VolumeChange{}
	for _, v := range h.Volumes {
		vol[v.Stage] = v
	}
	when := "In " + fmtMonth(h.Month)
	if h.Partial {
		when += " (a partial month)"
	}
	first, q, last := vol[r.first()], vol[r.qualified()], vol[r.last()]
	s1 := fmt.Sprintf("%s, %s were created%s.", when, fmtCount(first.Entries, "lead"), changeWords(first, h))
	s2 := fmt.Sprintf("%s became %s%s, and %s won%s.", fmtInt(int(q.Entries)), stageTitle(r.qualified()),
		changeWords(q, h), fmtCount(last.Entries, "deal"), changeWords(last, h))
	return []string{s1, s2}
}

// changeWords is ", 6.7% fewer than in May 2026 and 19.5% more than in Jun
// 2025" for a volume, leaving out comparisons without data.
func changeWords(v analysis.VolumeChange, h *analysis.Headline) string {
	var parts []string
	for _, c := range []struct {
		ch    *float64
		month string
	}{{v.PreviousChange, h.PreviousMonth}, {v.YearAgoChange, h.YearAgoMonth}} {
		if c.ch == nil {
			continue
		}
		switch {
		case *c.ch > 0:
			parts = append(parts, fmtPct(*c.ch)+" more than in "+fmtMonth(c.month))
		case *c.ch < 0:
			parts = append(parts, fmtPct(-*c.ch)+" fewer than in "+fmtMonth(c.month))
		default:
			parts = append(parts, "as many as in "+fmtMonth(c.month))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, " and ")
}

// cohortSentence says how the compared cohort's qualified leads went on to
// the last stage, against the cohort before, with significance in words.
func cohortSentence(r fr) string {
	cmp := r.Comparison
	if cmp == nil {
		return ""
	}
	for _, rc := range cmp.Rates {
		if rc.From != r.qualified() || rc.To != r.last() || rc.Current.Den == 0 {
			continue
		}
		which := "the latest whose window has closed"
		if cmp.Immature {
			which = "still immature, so the rate may rise"
		}
		s := fmt.Sprintf("Of the leads created in %s (%s), %s of those that became %s within %d days reached %s (%s of %s)",
			fmtMonth(cmp.Month), which, fmtPct(rc.Current.Rate), stageTitle(rc.From), r.WindowDays, stageTitle(rc.To),
			fmtInt(int(rc.Current.Num)), fmtInt(int(rc.Current.Den)))
		if rc.PreviousDiff != nil && rc.Previous != nil {
			s += fmt.Sprintf(", %s than in %s (%s)", pointsWords(*rc.PreviousDiff), fmtMonth(cmp.PreviousMonth), fmtPct(rc.Previous.Rate))
			if rc.PreviousPValue != nil {
				s += "; a difference this size " + chanceWords(*rc.PreviousPValue)
			}
		}
		return s + "."
	}
	return ""
}

// pointsWords is "6.0 points lower" or "2.1 points higher" for a rate
// difference in [−1,1].
func pointsWords(diff float64) string {
	switch {
	case diff > 0:
		return fmtFloat(diff*100, 1) + " points higher"
	case diff < 0:
		return fmtFloat(-diff*100, 1) + " points lower"
	}
	return "the same"
}

// channelSentence names the channels with the highest and lowest rate of
// the first key step (lead→qualified), with their counts.
func channelSentence(r fr, l Labels) string {
	if len(r.KeySteps) == 0 || len(r.ByChannel) < 2 {
		return ""
	}
	ks := r.KeySteps[0]
	var best, worst *analysis.ChannelRow
	var bestRate, worstRate analysis.StepRate
	for i := range r.ByChannel {
		c := &r.ByChannel[i]
		st, ok := c.Step(ks.From, ks.To)
		if !ok || st.Den == 0 {
			continue
		}
		if best == nil || st.Rate > bestRate.Rate {
			best, bestRate = c, st
		}
		if worst == nil || st.Rate < worstRate.Rate {
			worst, worstRate = c, st
		}
	}
	all, ok := r.Total.Step(ks.From, ks.To)
	if best == nil || worst == best || !ok || math.IsNaN(all.Rate) {
		return ""
	}
	return fmt.Sprintf("By channel, %s turns the largest share of its leads into %s (%s of %s, %s) and %s the smallest (%s of %s, %s), against %s overall.",
		l.AsWritten(best.Channel), stageTitle(ks.To), fmtInt(int(bestRate.Num)), fmtInt(int(bestRate.Den)), fmtPct(bestRate.Rate),
		l.AsWritten(worst.Channel), fmtInt(int(worstRate.Num)), fmtInt(int(worstRate.Den)), fmtPct(worstRate.Rate), fmtPct(all.Rate))
}

// immatureSentence warns that the cohorts from the first immature month on
// are still converting.
func immatureSentence(rep *analysis.Report) string {
	for _, m := range rep.ByMonth {
		if m.Immature {
			return fmt.Sprintf("Leads created from %s on have not had their %d days yet: their rates will still rise, so do not read them as a drop.",
				fmtMonth(m.Month), rep.WindowDays)
		}
	}
	return ""
}
