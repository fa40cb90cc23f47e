package analysis

import (
	"context"
	"testing"
)

// TestOutOfOrderByPass (issue 13, item 7): the report counts stage dates out
// of order within one pass through the funnel, as funnel status does; a
// recycle entry starts a new pass. Hand-made fixture (2024):
//
//	R1 created 01-01, sql 01-10, recycled 02-01, mql 03-01, sal 03-05: legal
//	N1 created 01-01, sql 01-10, nurture 01-15, mql 02-01: legal
//	T1 created 01-01, mql 01-02, sal 01-05, recycled 01-05, mql 02-01,
//	   sal 02-03: the SAL at the recycle's moment ends pass 1: legal
//	B1 created 01-01, mql 01-10, sal 01-05: out of order
//	B2 created 01-01, mql 01-03, sal 01-04, recycled 01-20, sal 02-01,
//	   mql 02-10: out of order in the second pass
//	W1 created 01-01, sql 01-10, won 01-05: won before sql, out of order
//
// Expected 3 (B1, B2, W1). First entries over the whole history give 4
// (R1, N1, B1, W1).
func TestOutOfOrderByPass(t *testing.T) {
	st := openFixture(t, []string{
		`INSERT INTO leads VALUES ('R1','2024-01-01','ref'), ('N1','2024-01-01','web'), ('T1','2024-01-01','web'),
		('B1','2024-01-01','web'), ('B2','2024-01-01','web'), ('W1','2024-01-01','web')`,
		`INSERT INTO stages VALUES
		('R1','sql','2024-01-10'), ('R1','recycled','2024-02-01'), ('R1','mql','2024-03-01'), ('R1','sal','2024-03-05'),
		('N1','sql','2024-01-10'), ('N1','nurture','2024-01-15'), ('N1','mql','2024-02-01'),
		('T1','mql','2024-01-02'), ('T1','sal','2024-01-05'), ('T1','recycled','2024-01-05'), ('T1','mql','2024-02-01'), ('T1','sal','2024-02-03'),
		('B1','mql','2024-01-10'), ('B1','sal','2024-01-05'),
		('B2','mql','2024-01-03'), ('B2','sal','2024-01-04'), ('B2','recycled','2024-01-20'), ('B2','sal','2024-02-01'), ('B2','mql','2024-02-10'),
		('W1','sql','2024-01-10')`,
		`INSERT INTO outcomes VALUES ('W1','2024-01-05','won',100)`,
	})
	r, err := Compute(context.Background(), st, Options{WindowDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.DataQuality.OutOfOrderLeads; got != 3 {
		t.Errorf("out of order leads = %d, want 3 (B1, B2, W1)", got)
	}
}
