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
)

// pageNumberRules is what one kind of page does its own way when its
// numbers are read back from its JSON document; the rest of the walk is
// shared by numbersNotInJSON.
type pageNumberRules struct {
	// skip matches the parts of the page that hold no figures (a section
	// of fixed rules in words, the footer); nil reads the whole page.
	skip *regexp.Regexp
	// allowed are texts taken out of the page before numbers are read (the
	// generation time, the charting library's version).
	allowed []string
	// constants are the numbers the page prints that are definitions, not
	// data, each with why.
	constants map[string]string
	// extraForms returns the ways the page prints a JSON number v ≥ 0
	// beyond commonNumberForms; nil adds none.
	extraForms func(v float64) []string
	// countArrays makes the length of every JSON array a count the page
	// may print.
	countArrays bool
	// stringForms returns, for one string of the JSON, the dates and months
	// the page may print for it and the texts (names from the data, which
	// may hold digits) to take out of the page before numbers are read.
	stringForms func(s string) (dates, texts []string)
}

var (
	pageHiddenRE = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>`)
	pageChartRE  = regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`)
	pageTagRE    = regexp.MustCompile(`<[^>]*>`)
	// chartPlaceholderRE matches what echarts replaces in a template
	// ("{b}", "{c0}", "{value}"), so the digits of "{c0}" are not read.
	chartPlaceholderRE = regexp.MustCompile(`\{(?:[abcde]\d*|value)\}`)
	// pageDateRE matches dates and months as pages print them; pageNumberRE
	// a number with thousands separators, decimals, percent, or "<0.001".
	pageDateRE   = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b`)
	pageNumberRE = regexp.MustCompile(`<?\d[\d,]*(?:\.\d+)?%?`)
)

// chartTextKeys are the keys of a chart option whose strings the reader
// sees: titles, axis and series names, category labels and tooltips.
var chartTextKeys = map[string]bool{"text": true, "subtext": true, "name": true, "data": true, "formatter": true}

// minPageNumbers is the fewest numbers a page test must read: fewer means
// the walk misses the page's figures.
const minPageNumbers = 100

// checkPageNumbersInJSON fails t for every number on page that is in no
// figure of jsonDoc (see numbersNotInJSON), and when fewer than
// minPageNumbers are read.
func checkPageNumbersInJSON(t *testing.T, page string, jsonDoc []byte, rules pageNumberRules) {
	t.Helper()
	problems, read := numbersNotInJSON(t, page, jsonDoc, rules)
	for _, p := range problems {
		t.Error(p)
	}
	if read < minPageNumbers {
		t.Errorf("only %d numbers found on the page: the walk misses the page's figures", read)
	}
}

// numbersNotInJSON reads every date, month and number a reader sees on
// page (its text and the texts of its charts) and returns those that are
// neither a form of a figure of jsonDoc nor one of rules.constants, each
// with its context, and how many it read (repeats included).
func numbersNotInJSON(t *testing.T, page string, jsonDoc []byte, rules pageNumberRules) (problems []string, read int) {
	t.Helper()
	known, texts := jsonNumberForms(t, jsonDoc, rules)
	text := pageText(t, page, rules.skip)
	for _, a := range rules.allowed {
		text = strings.ReplaceAll(text, a, " ")
	}
	for _, s := range texts {
		if s != "" {
			text = strings.ReplaceAll(text, s, " ")
		}
	}
	seen := map[string]bool{}
	for _, tok := range pageNumberTokens(text) {
		read++
		if known[tok] || rules.constants[tok] != "" || seen[tok] {
			continue
		}
		seen[tok] = true
		i := strings.Index(text, tok)
		problems = append(problems, fmt.Sprintf("%q is on the page but in no figure of the JSON: …%s…", tok,
			strings.Join(strings.Fields(text[max(0, i-60):min(len(text), i+40)]), " ")))
	}
	return problems, read
}

// pageText returns the text a reader sees on page: the HTML without tags,
// scripts, styles and the parts skip matches, and the texts of its charts.
func pageText(t *testing.T, page string, skip *regexp.Regexp) string {
	t.Helper()
	var b strings.Builder
	for _, m := range pageChartRE.FindAllStringSubmatch(page, -1) {
		var opt any
		if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
			t.Fatalf("chart option: %v", err)
		}
		writeChartTexts(&b, opt, "")
	}
	body := pageHiddenRE.ReplaceAllString(page, " ")
	if skip != nil {
		body = skip.ReplaceAllString(body, " ")
	}
	b.WriteString(html.UnescapeString(pageTagRE.ReplaceAllString(body, " ")))
	return b.String()
}

// writeChartTexts writes to b the strings of a chart option v held under
// one of chartTextKeys (key is the key v is under), with echarts'
// placeholders taken out; not colours, sizes or symbols.
func writeChartTexts(b *strings.Builder, v any, key string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			writeChartTexts(b, e, k)
		}
	case []any:
		for _, e := range x {
			writeChartTexts(b, e, key)
		}
	case string:
		if chartTextKeys[key] {
			b.WriteString(" " + chartPlaceholderRE.ReplaceAllString(x, " ") + " ")
		}
	}
}

// pageNumberTokens returns the dates and months of text, then its other
// numbers (without their sign or a trailing comma).
func pageNumberTokens(text string) []string {
	toks := pageDateRE.FindAllString(text, -1)
	for _, n := range pageNumberRE.FindAllString(pageDateRE.ReplaceAllString(text, " "), -1) {
		toks = append(toks, strings.TrimRight(n, ","))
	}
	return toks
}

// commonNumberForms returns the forms every page may print a number v ≥ 0
// in: a count with thousands separators (v whole), one and two decimals,
// a percentage of a rate, and a p-value.
func commonNumberForms(v float64) []string {
	forms := []string{fmtFloat(v, 1), fmtFloat(v, 2), fmtPct(v), fmtP(v)}
	if v == math.Trunc(v) && v < 1e15 {
		forms = append(forms, fmtInt(int(v)))
	}
	return forms
}

// jsonNumberForms returns every form the page may print a figure of
// jsonDoc in (commonNumberForms and rules.extraForms of each number's
// magnitude, array lengths if rules.countArrays, rules.stringForms' dates
// of each string) and the texts to take out of the page, longest first.
func jsonNumberForms(t *testing.T, jsonDoc []byte, rules pageNumberRules) (known map[string]bool, texts []string) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(jsonDoc))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode JSON: %v", err)
	}
	known = map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			if rules.countArrays {
				known[fmtInt(len(x))] = true
			}
			for _, e := range x {
				walk(e)
			}
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				t.Fatalf("number %s: %v", x, err)
			}
			f = math.Abs(f)
			forms := commonNumberForms(f)
			if rules.extraForms != nil {
				forms = append(forms, rules.extraForms(f)...)
			}
			for _, s := range forms {
				known[s] = true
			}
		case string:
			if rules.stringForms != nil {
				dates, ts := rules.stringForms(x)
				for _, d := range dates {
					known[d] = true
				}
				texts = append(texts, ts...)
			}
		}
	}
	walk(doc)
	sort.Slice(texts, func(i, j int) bool { return len(texts[i]) > len(texts[j]) })
	return known, texts
}
