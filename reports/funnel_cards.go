package reports

import (
	"fmt"
	"math"

	"github.com/funnel-dev/funnel/analysis"
)

// significance is the p-value under which a change is called "unlikely to
// be chance" in words; the p-values themselves are in the tables and the
// JSON.
const significance = 0.05

// headlineStages are the stages the volume cards show: the first, the
// qualified stage, the targets of the key steps after it, and the last,
// each once, in funnel order.
func headlineStages(r fr) []string {
	want := map[string]bool{r.first(): true, r.qualified(): true, r.last(): true}
	for _, s := range r.KeySteps {
		want[s.To] = true
	}
	var out []string
	for _, s := range r.Stages {
		if want[s] {
			out = append(out, s)
		}
	}
	return out
}

// volumeLabel names the entries into stage: "Leads created", "New MQLs",
// "Deals won".
func volumeLabel(r fr, stage string) string {
	switch stage {
	case r.first():
		return stageTitle(stage) + "s created"
	case r.last():
		return "Deals won"
	}
	return "New " + stageTitle(stage) + "s"
}

// funnelCards are the headline figures in two groups: what happened in the
// latest whole calendar month (entries, from Headline), and how the latest
// mature cohort converted (from Comparison).
func funnelCards(rep *analysis.Report) []cardGroup {
	r := fr{rep}
	var groups []cardGroup
	if h := rep.Headline; h != nil {
		g := cardGroup{Title: "What happened in " + fmtMonth(h.Month) + " (calendar month)"}
		if h.Partial {
			g.Title += ": a partial month, the data ends " + fmtDate(rep.DataEnd)
		}
		for _, st := range headlineStages(r) {
			for _, v := range h.Volumes {
				if v.Stage != st {
					continue
				}
				g.Cards = append(g.Cards, card{Label: volumeLabel(r, st), Value: fmtInt(int(v.Entries)),
					Detail:  "entries in " + fmtMonth(h.Month),
					Changes: []delta{volumeDelta(v.Previous, v.PreviousChange, h.PreviousMonth), volumeDelta(v.YearAgo, v.YearAgoChange, h.YearAgoMonth)}})
			}
		}
		groups = append(groups, g)
	}
	if cmp := rep.Comparison; cmp != nil {
		g := cardGroup{Title: fmt.Sprintf("How the leads created in %s converted within %d days", fmtMonth(cmp.Month), rep.WindowDays)}
		if cmp.Immature {
			g.Title += " (immature cohort: may still rise)"
		}
		for _, rc := range cmp.Rates {
			if rc.From != r.qualified() {
				continue
			}
			g.Cards = append(g.Cards, card{
				Label:  stepName(rc.From, rc.To),
				Value:  fmtPct(rc.Current.Rate),
				Detail: fmt.Sprintf("%s of %s %ss reached %s", fmtInt(int(rc.Current.Num)), fmtInt(int(rc.Current.Den)), stageTitle(rc.From), stageTitle(rc.To)),
				Changes: []delta{rateDelta(rc.Previous, rc.PreviousDiff, rc.PreviousPValue, cmp.PreviousMonth),
					rateDelta(rc.YearAgo, rc.YearAgoDiff, rc.YearAgoPValue, cmp.YearAgoMonth)},
			})
		}
		if len(g.Cards) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// volumeDelta compares a count with an earlier one: "−6.7% vs May 2026
// (984)"; "no data" when the month is missing, "new" when it had none.
func volumeDelta(then *int64, change *float64, month string) delta {
	switch {
	case then == nil:
		return delta{Label: "for " + fmtMonth(month), Text: "no data", Class: "flat"}
	case change == nil:
		return delta{Label: fmt.Sprintf("vs %s (%s)", fmtMonth(month), fmtInt(int(*then))), Text: "new", Class: "flat"}
	}
	return delta{Label: fmt.Sprintf("vs %s (%s)", fmtMonth(month), fmtInt(int(*then))),
		Text: fmtSigned(*change*100, 1) + "%", Class: direction(*change)}
}

// rateDelta compares a rate with an earlier one in percentage points, and
// says in words whether the difference is likely to be chance.
func rateDelta(then *analysis.Proportion, diff, p *float64, month string) delta {
	if then == nil || diff == nil || then.Den == 0 {
		return delta{Label: "for " + fmtMonth(month), Text: "no data", Class: "flat"}
	}
	label := fmt.Sprintf("vs %s (%s)", fmtMonth(month), fmtPct(then.Rate))
	if p != nil {
		label += ", " + chanceWords(*p)
	}
	return delta{Label: label, Text: fmtSigned(*diff*100, 1) + " pp", Class: direction(*diff)}
}

// chanceWords says what a two-sided p-value means for a difference.
func chanceWords(p float64) string {
	if math.IsNaN(p) || p >= significance {
		return "could be chance"
	}
	return "unlikely to be chance"
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
