package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/analysis"
)

// pageConstants are the numbers a page prints that are definitions, not
// data: the 95% of every interval, the rule
// that a window is the 90th percentile, the quartiles named in the time in
// stage, the 3-day limit under which durations are in hours, 1 for "no
// lift", the 64 actions tracked, the 12 per-channel funnels drawn and the
// 0.05 under which a change is called unlikely to be chance.
var pageConstants = map[string]bool{
	"95%": true, "95": true, "90%": true, "90": true, "25": true, "75": true,
	"3": true, "1": true, "64": true, "12": true, "10": true, "0": true, "0.05": true,
}

var (
	monthWords = regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b`)
	isoDate    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	isoMonth   = regexp.MustCompile(`\b\d{4}-\d{2}\b`)
	number     = regexp.MustCompile(`\d[\d,]*(\.\d+)?%?`)
	tags       = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)
	optionText = regexp.MustCompile(`"(?:formatter|text|subtext)":"((?:[^"\\]|\\.)*)"`)
)

// pageTexts returns the text a reader sees on a page: the HTML without
// tags, scripts and styles, and the chart titles, labels and tooltips
// written into the chart options.
func pageTexts(t *testing.T, page string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(html.UnescapeString(tags.ReplaceAllString(page, "\n")))
	for _, m := range regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`).FindAllStringSubmatch(page, -1) {
		for _, o := range optionText.FindAllStringSubmatch(m[1], -1) {
			var s string
			if err := json.Unmarshal([]byte(`"`+o[1]+`"`), &s); err != nil {
				t.Fatalf("option text %q: %v", o[1], err)
			}
			b.WriteString("\n" + s)
		}
	}
	return b.String()
}

// jsonFormats is every way the page may print a number of the JSON: as a
// count, with one or two decimals, as a percentage or percentage points,
// in hours, as a p-value, each of the value and of its magnitude; and
// every string of the JSON, to be taken out of the text before numbers are
// read (names may hold digits).
func jsonFormats(t *testing.T, v any) (numbers map[string]bool, strs []string) {
	t.Helper()
	numbers = map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			numbers[fmtInt(len(x))] = true
			for _, e := range x {
				walk(e)
			}
		case string:
			strs = append(strs, x)
		case float64:
			for _, f := range []float64{x, math.Abs(x)} {
				if f == math.Trunc(f) {
					numbers[fmtInt(int(f))] = true
				}
				for _, s := range []string{fmtFloat(f, 1), fmtFloat(f, 2), fmtPct(f), fmtFloat(f*100, 1), fmtFloat(f*24, 1), fmtP(f)} {
					numbers[strings.TrimPrefix(s, "<")] = true
				}
			}
		}
	}
	walk(v)
	sort.Slice(strs, func(i, j int) bool { return len(strs[i]) > len(strs[j]) })
	return numbers, strs
}

// numbersNotInJSON returns every number (and month, and date) on page
// that is neither one of the JSON's (formatted as the page formats
// numbers) nor a pageConstant, with its context; allowed are texts taken
// out first (the generation time, the echarts version).
func numbersNotInJSON(t *testing.T, page string, jsonDoc []byte, allowed ...string) []string {
	t.Helper()
	var problems []string
	var doc any
	if err := json.Unmarshal(jsonDoc, &doc); err != nil {
		t.Fatal(err)
	}
	nums, strs := jsonFormats(t, doc)
	text := pageTexts(t, page)
	for _, a := range allowed {
		text = strings.ReplaceAll(text, a, " ")
	}
	for _, s := range strs {
		if len(s) > 2 {
			text = strings.ReplaceAll(text, s, " ")
		}
	}
	months := map[string]bool{}
	dates := map[string]bool{}
	for _, s := range strs {
		if m := isoMonth.FindString(s); m != "" {
			months[m] = true
		}
		if d := isoDate.FindString(s); d != "" {
			dates[d] = true
		}
	}
	text = monthWords.ReplaceAllStringFunc(text, func(m string) string {
		tm, err := time.Parse("Jan 2006", m)
		if err != nil || !months[tm.Format("2006-01")] && !months[tm.AddDate(0, 1, 0).Format("2006-01")] && !months[tm.AddDate(1, 0, 0).Format("2006-01")] {
			problems = append(problems, fmt.Sprintf("month %q: neither it nor the month or year after it is in the JSON", m))
		}
		return " "
	})
	text = isoDate.ReplaceAllStringFunc(text, func(d string) string {
		if !dates[d] {
			problems = append(problems, fmt.Sprintf("date %q is not in the JSON", d))
		}
		return " "
	})
	seen := map[string]bool{}
	for _, tok := range number.FindAllString(text, -1) {
		tok = strings.TrimSuffix(tok, ",")
		if nums[tok] || pageConstants[tok] || seen[tok] {
			continue
		}
		seen[tok] = true
		i := strings.Index(text, tok)
		problems = append(problems, fmt.Sprintf("number %q is not in the JSON: …%s…", tok,
			strings.Join(strings.Fields(text[max(0, i-60):min(len(text), i+40)]), " ")))
	}
	return problems
}

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
			for _, p := range numbersNotInJSON(t, page.String(), doc.Bytes(), "2026-01-05 09:00 UTC", "5.4.3", "2.0") {
				t.Error(p)
			}
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
	got := strings.Join(numbersNotInJSON(t, bad, doc.Bytes(), "5.4.3", "2.0"), "\n")
	for _, want := range []string{`"12,345"`, `"47.3%"`, `"2,641"`, `"12,001"`, `"Mar 2031"`} {
		if !strings.Contains(got, want) {
			t.Errorf("%s not reported; got:\n%s", want, got)
		}
	}
}
