package queries

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestScoresToParquet(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "s.csv")
	out := filepath.Join(dir, "s.parquet")
	csv := "lead_id,score,probability,mql,status,age_days,top_reasons\n" +
		"L1,27,0.125,true,open,3.50,\"demo_request +12; referral +15\"\n" +
		"L2,-3,,false,with_sales,40.25,\n"
	if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.ScoresToParquet(ctx, in, out); err != nil {
		t.Fatal(err)
	}
	var n, score int
	var nullProb int
	var mql bool
	var reasons, status string
	var age float64
	row := s.DB().QueryRowContext(ctx, `SELECT count(*), sum(score)::INTEGER, count(*) - count(probability),
		bool_or(mql), max(top_reasons), max(status), sum(age_days) FROM read_parquet(?)`, out)
	if err := row.Scan(&n, &score, &nullProb, &mql, &reasons, &status, &age); err != nil {
		t.Fatal(err)
	}
	// 2 rows, scores 27 + (−3) = 24, one empty probability read as NULL,
	// ages 3.5 + 40.25 = 43.75 days.
	if n != 2 || score != 24 || nullProb != 1 || !mql || reasons != "demo_request +12; referral +15" ||
		status != "with_sales" || age != 43.75 {
		t.Errorf("got n=%d sum=%d nullProb=%d mql=%v reasons=%q status=%q age=%v", n, score, nullProb, mql, reasons, status, age)
	}
}
