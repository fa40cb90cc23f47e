package analysis

import (
	"context"
	"testing"
)

// undatedSQL mixes two leads created in January 2025 with three undated
// ones (a flat export): D1 won 2025-02-01; U1 won and U2 lost without a
// date (a leads file's outcome column), U3 open.
var undatedSQL = []string{
	`INSERT INTO leads VALUES ('D1','2025-01-10','web'), ('D2','2025-01-20','web'),
		('U1',NULL,'web'), ('U2',NULL,'web'), ('U3',NULL,'event')`,
	`INSERT INTO outcomes VALUES ('D1','2025-02-01','won',NULL), ('U1',NULL,'won',NULL), ('U2',NULL,'lost',NULL)`,
}

// TestUndatedLeadsHaveTheirOwnCohort: by hand, with a 30-day window and the
// data ending 2025-02-01 (D1's win):
//
//	2025-01    leads D1 D2 = 2, won D1 = 1
//	(undated)  leads U1 U2 U3 = 3, won U1 = 1; all mature (an undated
//	           lead's outcome is known as of the export), none open;
//	           U1's undated win counts within the window: 1 of base 3
//	web        leads D1 D2 U1 U2 = 4, won 2;  total 5 leads, won 2
//
// With --from 2025-01 the undated leads, which have no month, are left out.
func TestUndatedLeadsHaveTheirOwnCohort(t *testing.T) {
	st := openFixture(t, undatedSQL)
	r, err := Compute(context.Background(), st, Options{WindowDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	won := len(r.Stages) - 1
	if len(r.ByMonth) != 2 || r.ByMonth[0].Month != "2025-01" || r.ByMonth[1].Month != UndatedMonth {
		t.Fatalf("by_month months = %v, want 2025-01, (undated)", monthsOf(r.ByMonth))
	}
	jan, und := r.ByMonth[0], r.ByMonth[1]
	if jan.Reached[0].Leads != 2 || jan.Reached[won].Leads != 1 {
		t.Errorf("2025-01: %d leads, %d won; want 2, 1", jan.Reached[0].Leads, jan.Reached[won].Leads)
	}
	if und.Reached[0].Leads != 3 || und.Reached[won].Leads != 1 || und.MatureLeads != 3 || und.OpenLeads != 0 || und.Immature {
		t.Errorf("(undated): %d leads, %d won, %d mature, %d open, immature %v; want 3, 1, 3, 0, false",
			und.Reached[0].Leads, und.Reached[won].Leads, und.MatureLeads, und.OpenLeads, und.Immature)
	}
	if got := und.Conversion[won-1].FromLead; got.Rate < 1.0/3-1e-12 || got.Rate > 1.0/3+1e-12 {
		t.Errorf("(undated) lead→won = %v, want 1/3", got.Rate)
	}
	if r.Total.Reached[0].Leads != 5 || r.Total.Reached[won].Leads != 2 {
		t.Errorf("total: %d leads, %d won; want 5, 2", r.Total.Reached[0].Leads, r.Total.Reached[won].Leads)
	}
	if r.Comparison == nil || r.Comparison.Month != "2025-01" {
		t.Errorf("comparison = %+v, want the dated month 2025-01", r.Comparison)
	}

	limited, err := Compute(context.Background(), st, Options{WindowDays: 30, From: month(t, "2025-01")})
	if err != nil {
		t.Fatal(err)
	}
	if got := monthsOf(limited.ByMonth); len(got) != 1 || got[0] != "2025-01" || limited.Total.Reached[0].Leads != 2 {
		t.Errorf("with --from: months %v, %d leads; want 2025-01 only, 2 leads", got, limited.Total.Reached[0].Leads)
	}
}

// TestOnlyUndatedLeads: a workspace holding a flat export alone (no
// timestamp but its load) reports one "(undated)" cohort, no period rows
// and no comparison.
func TestOnlyUndatedLeads(t *testing.T) {
	st := openFixture(t, []string{
		`INSERT INTO leads VALUES ('U1',NULL,'web'), ('U2',NULL,'web'), ('U3',NULL,'event')`,
		`INSERT INTO outcomes VALUES ('U1',NULL,'won',NULL), ('U2',NULL,'lost',NULL)`,
		`INSERT INTO loads VALUES (1,'leads','flat.csv','00',3,3,0,'2026-03-01 10:00')`,
	})
	r, err := Compute(context.Background(), st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := monthsOf(r.ByMonth); len(got) != 1 || got[0] != UndatedMonth {
		t.Fatalf("by_month months = %v, want (undated) only", got)
	}
	if len(r.Period) != 0 || r.Comparison != nil {
		t.Errorf("period %v, comparison %+v; want none", r.Period, r.Comparison)
	}
	if r.ByMonth[0].Reached[0].Leads != 3 || r.ByMonth[0].Reached[len(r.Stages)-1].Leads != 1 {
		t.Errorf("(undated) = %+v, want 3 leads, 1 won", r.ByMonth[0].Reached)
	}
}

func monthsOf(rows []MonthRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Month
	}
	return out
}
