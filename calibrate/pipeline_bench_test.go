package calibrate

import (
	"context"
	"fmt"
	"testing"

	"github.com/funnel-dev/funnel/queries"
)

// benchDataSQL fills a store with $1 leads over two years, 20 events each
// (12 actions, up to 60 days after creation, so some fall after the
// cut-off), a SAL for one lead in five and a won outcome that depends on
// the number of demo requests, all generated in DuckDB with range().
const benchDataSQL = `
INSERT INTO leads
SELECT 'L' || i,
       TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(i) % 63072000::UBIGINT AS BIGINT)),
       ['web','referral','event','paid','email'][1 + CAST(hash(i * 7) % 5::UBIGINT AS INT)]
FROM range(?) t(i);
`

const benchEventsSQL = `
INSERT INTO events
SELECT 'L' || (e // 20),
       TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(e // 20) % 63072000::UBIGINT AS BIGINT))
         + to_seconds(CAST(hash(e) % 5184000::UBIGINT AS BIGINT)),
       ['page_view','email_click','visit','return_visit','pricing_view','ebook','webinar_registered',
        'webinar_attended','trade_show','demo_request','free_trial','talk_to_sales']
         [1 + CAST(hash(e * 3) % 12::UBIGINT AS INT)],
       NULL
FROM range(? * 20) t(e);
`

const benchStagesSQL = `
INSERT INTO stages
SELECT lead_id, 'sal', created_at + to_seconds(CAST(hash(lead_id) % 3456000::UBIGINT AS BIGINT))
FROM leads WHERE hash(lead_id || 's') % 5::UBIGINT = 0;
`

const benchOutcomesSQL = `
INSERT INTO outcomes
SELECT l.lead_id, l.created_at + INTERVAL 50 DAY,
       CASE WHEN (hash(l.lead_id || 'w') % 1000::UBIGINT) / 1000.0
                 < 1 / (1 + exp(-(-2.5 + 0.6 * coalesce(d.n, 0) + CASE l.channel WHEN 'referral' THEN 0.8 ELSE 0 END)))
            THEN 'won' ELSE 'lost' END,
       NULL
FROM leads l
LEFT JOIN (SELECT lead_id, count(*) AS n FROM events WHERE action = 'demo_request' GROUP BY lead_id) d USING (lead_id);
`

// benchData fills a new store with n generated leads (see benchDataSQL),
// loaded in the order L0, L1, ….
func benchData(b testing.TB, n int) *queries.Store {
	b.Helper()
	ctx := context.Background()
	st := openStore(b, "")
	for _, q := range []string{benchDataSQL, benchEventsSQL} {
		if _, err := st.DB().ExecContext(ctx, q, n); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{benchStagesSQL, benchOutcomesSQL} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

func BenchmarkFeatures(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		if testing.Short() && n > 100000 {
			continue
		}
		b.Run(sizeName(n), func(b *testing.B) {
			ctx := context.Background()
			st := benchData(b, n)
			b.ResetTimer()
			p := fixtureParams()
			l, err := loadLeads(ctx, st, p, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("leads", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := loadLeads(ctx, st, p, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, h := range []float64{0, 14} {
				b.Run(fmt.Sprintf("actions/halflife=%g", h), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if _, err := loadActions(ctx, st, p, l, h, nil, l.Len()); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("ages/grid8", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					ev, err := loadActionEvents(ctx, st, p, l, l.Len())
					if err != nil {
						b.Fatal(err)
					}
					ev.gridValues(l, DefaultHalfLifeGrid(), nil, l.Len())
				}
			})
		})
	}
}

func sizeName(n int) string {
	e := 0
	for m := n; m >= 10 && m%10 == 0; m /= 10 {
		e++
	}
	return fmt.Sprintf("N=%de%d", n/pow10(e), e)
}

func pow10(e int) int {
	p := 1
	for ; e > 0; e-- {
		p *= 10
	}
	return p
}

// BenchmarkRun measures a whole calibration (features, half-life search,
// fit, validation, threshold) on n generated leads with 20 events each.
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		if testing.Short() && n > 100000 {
			continue
		}
		b.Run(sizeName(n), func(b *testing.B) {
			st := benchData(b, n)
			for _, tc := range []struct {
				name string
				hl   HalfLife
			}{{"halflife=none", HalfLife{}}, {"halflife=auto", HalfLife{Auto: true}}} {
				b.Run(tc.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if _, _, err := Run(context.Background(), st, Options{HalfLife: tc.hl}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
