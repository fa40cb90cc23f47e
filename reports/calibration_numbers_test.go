package reports

import (
	"bytes"
	"encoding/json"
	"html"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/calibrate"
)

// calibrationConstants are the numbers the evidence page may print that are not
// figures of calibration.json, each with why.
var calibrationConstants = map[string]string{
	"95%": "the confidence level of every interval",
}

// TestCalibrationNumbersFromJSON walks every number printed on the evidence
// page (its text, and the titles, axis names, labels and tooltips of its
// charts) and finds each in calibration.json, formatted as the page formats
// numbers. Names from the data (which may hold digits) are taken out first;
// the Definitions section (fixed rules in words) and the footer (the
// charting library's version) are not figures and are skipped.
func TestCalibrationNumbersFromJSON(t *testing.T) {
	for name, r := range map[string]*calibrate.Result{
		"fixture":      calibrationFixture(),
		"no backtest":  withoutBacktest(calibrationFixture()),
		"many columns": bigCalibrationFixture(20, 50),
	} {
		t.Run(name, func(t *testing.T) {
			var page, js bytes.Buffer
			if err := WriteCalibration(&page, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, r); err != nil {
				t.Fatal(err)
			}
			known, names := calibrationJSONFigures(t, js.Bytes())
			text := calibrationPageText(t, page.String())
			for _, n := range names {
				text = strings.ReplaceAll(text, n, " ")
			}
			checked := 0
			for _, tok := range calibrationPageNumbers(text) {
				checked++
				if !known[tok] && calibrationConstants[tok] == "" {
					i := strings.Index(text, tok)
					t.Errorf("%q is on the page but in no figure of calibration.json; in: …%s…", tok, text[max(0, i-60):min(len(text), i+40)])
				}
			}
			if checked < 100 {
				t.Errorf("only %d numbers found on the page: the walk misses the page's figures", checked)
			}
		})
	}
}

// TestCalibrationNumbersCatchesInvented is the negative control: a page
// that shows a figure not in the JSON (here, an MQL count off by one) is
// caught.
func TestCalibrationNumbersCatchesInvented(t *testing.T) {
	r := calibrationFixture()
	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	known, _ := calibrationJSONFigures(t, js.Bytes())
	r.Decision.Proposed.MQLs = 591 // the JSON says 590
	var page bytes.Buffer
	if err := WriteCalibration(&page, r, Options{}); err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, tok := range calibrationPageNumbers(calibrationPageText(t, page.String())) {
		if !known[tok] && calibrationConstants[tok] == "" {
			missing++
		}
	}
	if missing == 0 {
		t.Error("a page showing 591 MQLs where the JSON has 590 passed the number walk")
	}
}

func withoutBacktest(r *calibrate.Result) *calibrate.Result {
	r.Backtest = nil
	r.Decision.Comparisons = r.Decision.Comparisons[:1]
	return r
}

var (
	calScriptRE = regexp.MustCompile(`(?s)<script>.*?</script>|<style>.*?</style>|<section id="definitions">.*?</section>|<footer>.*?</footer>`)
	calChartRE  = regexp.MustCompile(`(?s)<script type="application/json" data-chart="[^"]*"[^>]*>(.*?)</script>`)
	calTagRE    = regexp.MustCompile(`<[^>]*>`)
	// calDateRE matches dates and months as the page prints them; calNumberRE
	// a number with thousands separators, decimals, percent, or "<0.001".
	calDateRE   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}`)
	calNumberRE = regexp.MustCompile(`<?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?`)
)

// calibrationPageText is the page's visible text plus the text of its charts, with
// dates checked and replaced by a blank.
func calibrationPageText(t *testing.T, page string) string {
	t.Helper()
	var b strings.Builder
	for _, m := range calChartRE.FindAllStringSubmatch(page, -1) {
		var opt any
		if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
			t.Fatalf("chart option: %v", err)
		}
		calibrationChartStrings(opt, "", &b)
	}
	body := calScriptRE.ReplaceAllString(calChartRE.ReplaceAllString(page, " "), " ")
	b.WriteString(html.UnescapeString(calTagRE.ReplaceAllString(body, " ")))
	return b.String()
}

// calibrationChartStrings writes the texts a chart prints: titles, names, labels,
// tooltips and category names, not colours, sizes or templates.
func calibrationChartStrings(v any, key string, b *strings.Builder) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			calibrationChartStrings(e, k, b)
		}
	case []any:
		for _, e := range x {
			calibrationChartStrings(e, key, b)
		}
	case string:
		switch key {
		case "text", "subtext", "name", "data", "formatter":
			if !strings.Contains(x, "{") {
				b.WriteString(" " + x + " ")
			}
		}
	}
}

// calibrationPageNumbers returns the dates and months of text, then its other
// numbers, without their sign.
func calibrationPageNumbers(text string) []string {
	return append(calDateRE.FindAllString(text, -1), calNumberRE.FindAllString(calDateRE.ReplaceAllString(text, " "), -1)...)
}

// calibrationJSONFigures returns every way the page may print a number of the JSON
// (counts with separators, 0–4 decimals, percentages, p-values, dates and
// months of its timestamps) and the JSON's strings holding digits (names
// from the data, warnings), longest first.
func calibrationJSONFigures(t *testing.T, js []byte) (map[string]bool, []string) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	var names []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				t.Fatal(err)
			}
			f = math.Abs(f)
			if f == math.Trunc(f) && f < 1e15 {
				known[formatCount(int(f))] = true
			}
			for d := 0; d <= 4; d++ {
				known[formatNumber(f, d)] = true
			}
			known[formatPercent(f)] = true
			known[formatP(f)] = true
		case string:
			if ts, err := time.Parse(time.RFC3339, x); err == nil {
				known[formatDate(ts)], known[formatMonth(ts)] = true, true
			}
			if m, err := time.Parse("2006-01", x); err == nil {
				known[formatMonth(m)] = true
			}
			if strings.ContainsAny(x, "0123456789") {
				names = append(names, x, Labels(nil).Name(x), Labels(nil).Feature(x))
				for _, sep := range []string{":", "="} {
					if _, after, ok := strings.Cut(x, sep); ok {
						names = append(names, after)
					}
				}
			}
		}
	}
	walk(doc)
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return known, names
}
