package analysis

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// fixtureSQL is a small funnel worked out by hand. Funnel: lead(0) mql(1)
// sal(2) sql(3) opportunity(4) won(5). Data end is 2025-06-30 (A10's last
// event). With a 30-day window a lead is mature when created on or before
// 2025-05-31.
//
//	lead ch  created  stage rows (outcome)                              notes
//	A1  web  01-05    mql 01-06 sal 01-08 sql 01-10 opp 01-15 (won 01-20) full path
//	A2  web  01-10    mql 01-12 recycled 01-20 mql 02-01 sal 02-03 sql 03-01
//	                                                   MQL twice; recycled and back; sql after window (ends 02-09)
//	A3  ref  01-15    sql 01-20 opp 01-25 (won 02-05)   referral at SQL: mql, sal skipped
//	A4  web  02-01    —                                 never qualified
//	A5  ref  02-10    mql 02-11 nurture 02-15 (lost 03-01)  recycled, never back
//	A6  web  06-10    mql 06-12                         immature, open
//	A7  web  06-20    mql 06-21 sal 06-22 sql 06-25 (won 06-28)  immature, won; opportunity skipped
//	A8  ref  06-25    — (lost 06-27)                    immature, closed: not open
//	A9  web  03-01    sal 03-05 mql 03-10               out of order (sal before mql)
//	A10 web  04-01    mql 03-30 disqualified 04-05      mql before creation; other stage
//	X9  —    —        mql 03-03 (won 03-05)             orphan (not in leads)
//
// Per lead (max stage ever / within 30 days of creation; qualified_at is the
// first reach of mql, by implication for A3 and A9):
//
//	A1 5/5  A2 3/2  A3 5/5  A4 0/0  A5 1/1  A6 1/1  A7 5/5  A8 0/0  A9 2/2  A10 1/1
//
// Events (action, time; by_action is worked out on its own fixture,
// landmarkSQL in landmark_fixture_test.go):
//
//	A1 pricing 01-05 12:00, demo 01-07     A2 pricing 01-11, ebook 01-25
//	A3 demo 01-16     A4 ebook 02-02     A5 webinar 02-09 (before creation 02-10)
//	A7 demo 06-20 12:00     A9 pricing 03-02, pricing 03-04     A10 ebook 06-30
//	X9 pricing 03-03 (orphan)
//
// Attributes: A1, A2 industry=saas; A3 industry=retail.
var fixtureSQL = []string{
	`INSERT INTO leads VALUES
		('A1','2025-01-05','web'), ('A2','2025-01-10','web'), ('A3','2025-01-15','referral'),
		('A4','2025-02-01','web'), ('A5','2025-02-10','referral'), ('A6','2025-06-10','web'),
		('A7','2025-06-20','web'), ('A8','2025-06-25','referral'), ('A9','2025-03-01','web'),
		('A10','2025-04-01','web')`,
	`INSERT INTO stages VALUES
		('A1','mql','2025-01-06'), ('A1','sal','2025-01-08'), ('A1','sql','2025-01-10'), ('A1','opportunity','2025-01-15'),
		('A2','mql','2025-01-12'), ('A2','recycled','2025-01-20'), ('A2','MQL','2025-02-01'), ('A2','sal','2025-02-03'), ('A2','sql','2025-03-01'),
		('A3','sql','2025-01-20'), ('A3','opportunity','2025-01-25'),
		('A5','mql','2025-02-11'), ('A5','nurture','2025-02-15'),
		('A6','mql','2025-06-12'),
		('A7','mql','2025-06-21'), ('A7','sal','2025-06-22'), ('A7','sql','2025-06-25'),
		('A9','sal','2025-03-05'), ('A9','mql','2025-03-10'),
		('A10','mql','2025-03-30'), ('A10','disqualified','2025-04-05'),
		('X9','mql','2025-03-03')`,
	`INSERT INTO outcomes VALUES
		('A1','2025-01-20','won',1000), ('A3','2025-02-05','won',500), ('A5','2025-03-01','lost',NULL),
		('A7','2025-06-28','won',700), ('A8','2025-06-27','lost',NULL), ('X9','2025-03-05','won',100)`,
	`INSERT INTO events VALUES
		('A1','2025-01-05 12:00','pricing',NULL), ('A1','2025-01-07','demo',NULL),
		('A2','2025-01-11','pricing',NULL), ('A2','2025-01-25','ebook',NULL),
		('A3','2025-01-16','demo',NULL), ('A4','2025-02-02','ebook',NULL),
		('A5','2025-02-09','webinar',NULL), ('A7','2025-06-20 12:00','demo',NULL),
		('A9','2025-03-02','pricing',NULL), ('A9','2025-03-04','pricing',NULL),
		('A10','2025-06-30','ebook',NULL), ('X9','2025-03-03','pricing',NULL)`,
	`ALTER TABLE leads ADD COLUMN "attr:industry" VARCHAR`,
	`UPDATE leads SET "attr:industry" = a.v FROM (VALUES ('A1','saas'), ('A2','saas'), ('A3','retail')) a(id, v) WHERE leads.lead_id = a.id`,
}

func openFixture(t testing.TB, stmts []string) *queries.Store {
	t.Helper()
	st, err := queries.Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, s := range stmts {
		if _, err := st.DB().Exec(s); err != nil {
			t.Fatalf("fixture: %v\n%s", err, s)
		}
	}
	return st
}

func fixtureReport(t *testing.T, opts Options) *Report {
	t.Helper()
	st := openFixture(t, fixtureSQL)
	r, err := Compute(context.Background(), st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func month(t *testing.T, s string) time.Time {
	t.Helper()
	m, err := ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// counts is lead, mql, sal, sql, opportunity, won.
type counts [6]int64

func checkReached(t *testing.T, name string, f Funnel, want counts) {
	t.Helper()
	if len(f.Reached) != 6 {
		t.Fatalf("%s: %d stages", name, len(f.Reached))
	}
	for i, s := range DefaultStages() {
		if f.Reached[i].Stage != s || f.Reached[i].Leads != want[i] {
			t.Errorf("%s reached[%d] = %v, want %s %d", name, i, f.Reached[i], s, want[i])
		}
	}
}

// checkConverted checks the windowed conversions into mql..won and the base.
func checkConverted(t *testing.T, name string, f Funnel, base int64, want [5]int64) {
	t.Helper()
	if f.Base != base {
		t.Errorf("%s base = %d, want %d", name, f.Base, base)
	}
	for i, c := range f.Conversion {
		if c.Converted != want[i] || c.FromLead.Num != want[i] || c.FromLead.Den != base {
			t.Errorf("%s conversion %s = %d (%d/%d), want %d/%d", name, c.Stage, c.Converted,
				c.FromLead.Num, c.FromLead.Den, want[i], base)
		}
		prev := base
		if i > 0 {
			prev = want[i-1]
		}
		if c.FromPrevious.Num != want[i] || c.FromPrevious.Den != prev {
			t.Errorf("%s next-step %s = %d/%d, want %d/%d", name, c.Stage, c.FromPrevious.Num, c.FromPrevious.Den, want[i], prev)
		}
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
