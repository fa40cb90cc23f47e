package reports

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/analysis"
)

// funnelConstants are the numbers the funnel page prints that are
// definitions, not data, each with why.
var funnelConstants = map[string]string{
	"95%": "the confidence level of every interval", "95": "the confidence level of every interval",
	"90%": "a window is the 90th percentile", "90": "a window is the 90th percentile",
	"25": "the lower quartile of the time in stage", "75": "the upper quartile of the time in stage",
	"3":  "the days under which durations are in hours",
	"1":  `a lift of 1 is "no lift"`,
	"64": "the actions tracked", "12": "the per-channel funnels drawn",
	"0.05": "the p-value under which a change is called unlikely to be chance",
}

var (
	isoDateRE  = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	isoMonthRE = regexp.MustCompile(`\b\d{4}-\d{2}\b`)
)

// funnelNumberRules are how the funnel page prints the figures of its
// JSON; allowed are texts taken out of the page first.
func funnelNumberRules(allowed ...string) pageNumberRules {
	return pageNumberRules{
		allowed:     allowed,
		constants:   funnelConstants,
		extraForms:  funnelExtraForms,
		countArrays: true,
		stringForms: funnelStringForms,
	}
}

// funnelExtraForms returns the forms of v the funnel page prints beyond
// commonNumberForms: percentage points (a change of rate, one decimal) and
// hours (a duration in days under 3 days, one decimal).
func funnelExtraForms(v float64) []string {
	return []string{fmtFloat(v*100, 1), fmtFloat(v*24, 1)}
}

// funnelStringForms returns the dates and months the funnel page may print
// for a JSON string s (its YYYY-MM-DD date; its YYYY-MM month as "Jan
// 2006", and the month and the year before it, which a comparison with
// the previous month or year shows) and s itself as a text to take out of
// the page when longer than two characters.
func funnelStringForms(s string) (dates, texts []string) {
	if d := isoDateRE.FindString(s); d != "" {
		dates = append(dates, d)
	}
	if m, err := time.Parse("2006-01", isoMonthRE.FindString(s)); err == nil {
		dates = append(dates, m.Format("Jan 2006"), m.AddDate(0, -1, 0).Format("Jan 2006"), m.AddDate(-1, 0, 0).Format("Jan 2006"))
	}
	if len(s) > 2 {
		texts = append(texts, s)
	}
	return dates, texts
}

// TestFunnelPageNumbersAreInJSON reads every number on the funnel page and
// finds it in the JSON of the same report.
func TestFunnelPageNumbersAreInJSON(t *testing.T) {
	for name, r := range map[string]*analysis.Report{"fixture": funnelFixture(), "long names": longNamesFixture()} {
		t.Run(name, func(t *testing.T) {
			var page, doc bytes.Buffer
			if err := WriteFunnel(&page, r, Options{GeneratedAt: "2026-01-05 09:00 UTC"}); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&doc, r); err != nil {
				t.Fatal(err)
			}
			checkPageNumbersInJSON(t, page.String(), doc.Bytes(), funnelNumberRules("2026-01-05 09:00 UTC", "5.4.3", "2.0"))
		})
	}
}

// TestNumbersCheckCatchesFaults is the negative control: a number the
// report does not hold, a rate computed on the page, and a month that is
// not in the data are reported.
func TestNumbersCheckCatchesFaults(t *testing.T) {
	r := funnelFixture()
	var page, doc bytes.Buffer
	if err := WriteFunnel(&page, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&doc, r); err != nil {
		t.Fatal(err)
	}
	// 2,641 of 12,000 is 22.0083…%, shown "22.0%"; neither number is in the fixture.
	bad := strings.Replace(page.String(), "</main>", "<p>12,345 leads; 47.3% (2,641 of 12,001) in Mar 2031</p></main>", 1)
	problems, _ := numbersNotInJSON(t, bad, doc.Bytes(), funnelNumberRules("5.4.3", "2.0"))
	got := strings.Join(problems, "\n")
	for _, want := range []string{`"12,345"`, `"47.3%"`, `"2,641"`, `"12,001"`, `"Mar 2031"`} {
		if !strings.Contains(got, want) {
			t.Errorf("%s not reported; got:\n%s", want, got)
		}
	}
}
