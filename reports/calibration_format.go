package reports

import "time"

// The evidence page formats every number through these names, so that the
// page and its number test (calibration_numbers_test.go) share one
// spelling of each figure; they point at the shared helpers of format.go.

// formatCount formats a count with thousands separators: 12345 → "12,345".
func formatCount(n int) string { return fmtInt(n) }

// formatNumber formats v with the given decimals and thousands separators,
// or a dash when v is NaN or infinite.
func formatNumber(v float64, decimals int) string { return fmtFloat(v, decimals) }

// formatPercent formats a rate in [0,1] as a percentage with one decimal.
func formatPercent(rate float64) string { return fmtPct(rate) }

// formatSigned formats v with its sign: +18, −7.
func formatSigned(v float64, decimals int) string { return fmtSigned(v, decimals) }

// formatP formats a p-value: "<0.001" or three decimals.
func formatP(p float64) string { return fmtP(p) }

// formatDate formats t as YYYY-MM-DD, or a dash for the zero time.
func formatDate(t time.Time) string { return fmtDate(t) }

// formatMonth formats t as "Nov 2026", or a dash for the zero time.
func formatMonth(t time.Time) string {
	if t.IsZero() {
		return dash
	}
	return t.UTC().Format("Jan 2006")
}
