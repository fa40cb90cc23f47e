package queries

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestEmptyAndPlaceholderValues loads the flat fixture (see its README).
// Empty fields, read off the file: Lead Source of P05 (channel), the
// Specialization of P03, TotalVisits and Total Time Spent on Website of
// P10: each kept as its own group. Placeholders in Specialization:
// "Select" P02 P05 P07 = 3, "-" P08 = 1. With placeholders stored as
// empty, Specialization has 1 + 3 + 1 = 5 leads (missing) and no
// placeholder is left.
func TestEmptyAndPlaceholderValues(t *testing.T) {
	for _, tc := range []struct {
		placeholders bool
		missing      string
		held         string
	}{
		{false, "[channel 1, specialization 1, total time spent on website 1, totalvisits 1]", `[specialization "Select" 3, specialization "-" 1]`},
		{true, "[channel 1, specialization 5, total time spent on website 1, totalvisits 1]", "[]"},
	} {
		t.Run(fmt.Sprintf("placeholders=%v", tc.placeholders), func(t *testing.T) {
			s := openTestStore(t)
			req := flatRequest(t)
			req.Placeholders = tc.placeholders
			mustLoad(t, s, req)
			st, err := s.Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var missing, held []string
			for _, m := range st.Findings.MissingValues {
				missing = append(missing, fmt.Sprintf("%s %d", m.Column, m.Leads))
			}
			for _, p := range st.Findings.Placeholders {
				held = append(held, fmt.Sprintf("%s %q %d", p.Column, p.Value, p.Leads))
			}
			if got := "[" + strings.Join(missing, ", ") + "]"; got != tc.missing {
				t.Errorf("missing values = %s, want %s", got, tc.missing)
			}
			if got := "[" + strings.Join(held, ", ") + "]"; got != tc.held {
				t.Errorf("placeholders = %s, want %s", got, tc.held)
			}
			var value string
			if err := s.DB().QueryRow("SELECT value FROM lead_attributes WHERE lead_id = 'P03' AND name = 'specialization'").Scan(&value); err != nil {
				t.Fatal(err)
			}
			if value != NoValue {
				t.Errorf("P03's empty specialization is stored as %q, want %q", value, NoValue)
			}
		})
	}
}
