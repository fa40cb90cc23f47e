package reports

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// dash is what a table shows for a missing or undefined number.
const dash = "–"

// fmtInt formats n with thousands separators: 12345 → "12,345".
func fmtInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtFloat formats v with the given decimals and thousands separators, or
// a dash when v is NaN or infinite.
func fmtFloat(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return dash
	}
	// Round half away from zero, as the charts' num does (FormatFloat alone
	// would round 1.25 to 1.2), so a table and its chart agree.
	p := math.Pow(10, float64(decimals))
	if r := math.Round(math.Abs(v)*p) / p; !math.IsInf(r, 0) {
		v = math.Copysign(r, v)
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	n, err := strconv.Atoi(intPart)
	if err != nil { // too large for int: leave ungrouped
		n = -1
	}
	out := intPart
	if n >= 0 {
		out = fmtInt(n)
	}
	if frac != "" {
		out += "." + frac
	}
	if v < 0 && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// fmtPct formats a rate in [0,1] as a percentage with one decimal:
// 0.1234 → "12.3%"; a dash when the rate is NaN or infinite.
func fmtPct(rate float64) string {
	if math.IsNaN(rate) || math.IsInf(rate, 0) {
		return dash
	}
	return fmtFloat(rate*100, 1) + "%"
}

// fmtSigned formats v with a sign and the given decimals: +1.25, −0.40.
func fmtSigned(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return dash
	}
	s := fmtFloat(v, decimals)
	if v >= 0 && !strings.HasPrefix(s, "-") {
		return "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

// fmtP formats a p-value: "<0.001" below one in a thousand, else three decimals.
func fmtP(p float64) string {
	switch {
	case math.IsNaN(p):
		return dash
	case p < 0.001:
		return "<0.001"
	default:
		return strconv.FormatFloat(p, 'f', 3, 64)
	}
}

// fmtDate formats t as YYYY-MM-DD in UTC, or a dash for the zero time.
func fmtDate(t time.Time) string {
	if t.IsZero() {
		return dash
	}
	return t.UTC().Format("2006-01-02")
}

// fmtMonth formats a YYYY-MM month as readers write it: "2026-11" →
// "Nov 2026"; anything that is not a month is returned as it is.
func fmtMonth(month string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return m.Format("Jan 2006")
}

// hoursBelowDays is the duration under which fmtDuration shows hours: a
// speed to lead of 0.4 days reads better as 9.6 hours.
const hoursBelowDays = 3

// fmtDuration formats a duration in days with one decimal: in hours under
// hoursBelowDays days ("9.6 hours"), else in days ("12.5 days"); a dash
// when days is NaN or infinite.
func fmtDuration(days float64) string {
	if math.IsNaN(days) || math.IsInf(days, 0) {
		return dash
	}
	if math.Abs(days) < hoursBelowDays {
		return fmtFloat(days*24, 1) + " hours"
	}
	return fmtFloat(days, 1) + " days"
}

// fmtCount formats a count of things with its noun, singular for one:
// fmtCount(1, "lead") = "1 lead", fmtCount(4250, "lead") = "4,250 leads".
func fmtCount(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmtInt(int(n)) + " " + noun + "s"
}

// fmtOf formats a rate with its numerator and denominator, so a reader sees
// the base of every percentage: "23.5% (1,058 of 4,503)".
func fmtOf(num, den int64) string {
	if den == 0 {
		return dash
	}
	return fmtPct(float64(num)/float64(den)) + " (" + fmtInt(int(num)) + " of " + fmtInt(int(den)) + ")"
}
