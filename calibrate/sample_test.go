package calibrate

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestRunMaxLeadsSamples calibrates a store of 3,000 leads, loaded in the
// order L0, L1, …, with a cap of 1,000: the run must read every third lead
// in that order, say so, and still give the flow of every lead per month.
// The oracle is the load order itself, not the rowid test the queries use.
func TestRunMaxLeadsSamples(t *testing.T) {
	st := benchData(t, 3000)
	ctx := context.Background()
	full, _, _, err := run(ctx, st, Options{MaxLeads: -1})
	if err != nil {
		t.Fatal(err)
	}
	res, _, rs, err := run(ctx, st, Options{MaxLeads: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if full.Leads.SampleEvery != 1 || res.Leads.SampleEvery != 3 || res.Leads.InStore != 3000 || res.Options.MaxLeads != 1000 {
		t.Fatalf("sample_every %d (full %d), in_store %d, max_leads %d; want 3 (1), 3000, 1000",
			res.Leads.SampleEvery, full.Leads.SampleEvery, res.Leads.InStore, res.Options.MaxLeads)
	}
	want := map[string]bool{}
	for i := 0; i < 3000; i += 3 {
		want[fmt.Sprintf("L%d", i)] = true
	}
	seen := map[string]bool{}
	for _, id := range rs.leads.IDs {
		if !want[id] {
			t.Fatalf("lead %s read, but it is not every third lead in load order", id)
		}
		seen[id] = true
	}
	if len(seen) != res.Leads.Total || len(seen) < 900 || res.Leads.Total > 1000 {
		t.Errorf("%d distinct leads read, %d counted; want the sample of 1000 (less those with no snapshot)", len(seen), res.Leads.Total)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "1 lead in every 3 in load order, 1000 of 3000 leads") {
		t.Errorf("warnings %q do not say the run read a sample", res.Warnings)
	}
	// With every test lead an MQL (the lowest threshold), MQLs per month are
	// the flow of test leads: the sample must estimate the full flow, not a
	// third of it.
	flow := func(r *Result) float64 {
		m := 0.0
		for _, row := range r.Tradeoff {
			m = math.Max(m, row.MQLsPerMonth)
		}
		return m
	}
	if f, s := flow(full), flow(res); !(math.Abs(s/f-1) < 0.15) {
		t.Errorf("all test leads per month: sample %.1f, every lead %.1f; want within 15%%", s, f)
	}
}
