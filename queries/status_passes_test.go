package queries

import (
	"context"
	"reflect"
	"testing"
)

// TestStagesOutOfOrderByPass (issue 13, item 7): status flags stage dates
// out of order only within one pass through the funnel; a pass ends at each
// recycle entry (recycled, nurture). Hand-made fixture, all dates 2024:
//
//	R1 created 01-01, sql 01-10, Recycled 02-01, mql 03-01, sal 03-05
//	   referral straight at SQL, back through MQL after a recycle: legal
//	R2 created 01-01, sql 01-05, opportunity 01-20: enters late, legal
//	N1 created 01-01, sql 01-10, nurture 01-15, mql 02-01: legal
//	T1 created 01-01, mql 01-02, sal 01-05, recycled 01-05, mql 02-01, sal 02-03
//	   the SAL call recycles the lead the same day: that SAL ends pass 1,
//	   pass 2 is mql 02-01 < sal 02-03: legal
//	B1 created 01-01, mql 01-10, sal 01-05: SAL before MQL in one pass: flagged
//	B2 created 01-01, mql 01-03, sal 01-04, recycled 01-20, sal 02-01, mql 02-10
//	   SAL before MQL in the second pass: flagged (the first-entry rule
//	   over the whole history missed it: first mql 01-03 < first sal 01-04)
//	E1 created 01-10, mql 01-05: a stage before the lead existed: flagged
//
// Expected: 3 leads, B1 B2 E1. The rule without passes flags R1, N1, B1, E1.
func TestStagesOutOfOrderByPass(t *testing.T) {
	dir := t.TempDir()
	leads := writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel\n"+
		"R1,2024-01-01,referral\nR2,2024-01-01,referral\nN1,2024-01-01,web\nT1,2024-01-01,web\n"+
		"B1,2024-01-01,web\nB2,2024-01-01,web\nE1,2024-01-10,web\n")
	stages := writeTestFile(t, dir, "stages.csv", "lead_id,stage,entered_at\n"+
		"R1,sql,2024-01-10\nR1, Recycled ,2024-02-01\nR1,mql,2024-03-01\nR1,sal,2024-03-05\n"+
		"R2,sql,2024-01-05\nR2,opportunity,2024-01-20\n"+
		"N1,sql,2024-01-10\nN1,nurture,2024-01-15\nN1,MQL,2024-02-01\n"+
		"T1,mql,2024-01-02\nT1,sal,2024-01-05\nT1,recycled,2024-01-05\nT1,mql,2024-02-01\nT1,sal,2024-02-03\n"+
		"B1,mql,2024-01-10\nB1,sal,2024-01-05\n"+
		"B2,mql,2024-01-03\nB2,sal,2024-01-04\nB2,recycled,2024-01-20\nB2,sal,2024-02-01\nB2,mql,2024-02-10\n"+
		"E1,mql,2024-01-05\n")
	s := openTestStore(t)
	mustLoad(t, s, LoadRequest{Leads: leads, Stages: stages})
	st, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Finding{3, []string{"B1", "B2", "E1"}}
	if !reflect.DeepEqual(st.Findings.StagesOutOfOrder, want) {
		t.Errorf("stages out of order = %+v, want %+v", st.Findings.StagesOutOfOrder, want)
	}
}
