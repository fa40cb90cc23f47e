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
