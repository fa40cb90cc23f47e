package calibrate

import (
	"context"
	"sort"

	"github.com/funnel-dev/funnel/queries"
)

// maxChangedSample is how many changed leads of each direction a backtest lists.
const maxChangedSample = 20

// backtestCurrent scores the test snapshots with the current model (its own
// half-life, at the same snapshots), takes each lead's highest score, and
// compares it with the proposed model's scores newScores of the same leads
// (leadRows: each test lead's first row).
func backtestCurrent(ctx context.Context, st *queries.Store, ev *actionEvents, cur *Model, curName string,
	proposed *Model, newScores []int, l *Leads, test, leadRows []int, months float64) (*Backtest, error) {
	if err := CheckModel(ctx, st, cur); err != nil {
		return nil, err
	}
	// The current model may use another decay and set of attributes: derive
	// its features for the test snapshots only.
	rowOf := make([]int32, l.Len())
	for i := range rowOf {
		rowOf[i] = -1
	}
	for k, i := range test {
		rowOf[i] = int32(k)
	}
	avCur := ev.values(l, cur.HalfLifeDays, rowOf, len(test))
	lc := l
	if missingAttributes(l, cur) {
		cols := append(append([]string{}, l.Attributes...), sortedKeys(cur.Attributes)...)
		lc = &Leads{IDs: l.IDs, Channel: l.Channel, Channels: l.Channels, Rows: l.Rows, firstOfRow: l.firstOfRow}
		if err := lc.loadAttributes(ctx, st, cols); err != nil {
			return nil, err
		}
	}
	_, curScores := maxPerLead(l, test, scoreRows(cur, lc, avCur, test, rowOf))
	if curName == "" {
		curName = "current"
	}
	return compareModels(curName, cur.Threshold, curScores, proposed.Threshold, newScores, l, leadRows, months), nil
}

// missingAttributes reports whether cur uses attribute columns l has not loaded.
func missingAttributes(l *Leads, cur *Model) bool {
	have := map[string]bool{}
	for _, a := range l.Attributes {
		have[a] = true
	}
	for col := range cur.Attributes {
		if !have[col] {
			return true
		}
	}
	return false
}

// compareModels tallies MQLs, targets captured, precision and recall of two
// scorings of the same test leads, in total and by month of creation, and
// the leads that change side.
func compareModels(curName string, curThr int, cur []int, newThr int, prop []int, l *Leads, test []int, months float64) *Backtest {
	bt := &Backtest{CurrentModel: curName, ProposedModel: "proposed", Months: []BacktestMonth{},
		Changed: ChangedSide{Sample: []ChangedLead{}}}
	type tally struct{ mqls, caught int }
	type month struct {
		leads, wins int
		cur, prop   tally
	}
	byMonth := map[string]*month{}
	var tc, tp tally
	wins := 0
	var gained, dropped []ChangedLead
	for k, i := range test {
		won := l.Label[i] == 1
		mk := monthOf(l.Created[i])
		m := byMonth[mk]
		if m == nil {
			m = &month{}
			byMonth[mk] = m
		}
		m.leads++
		if won {
			m.wins++
			wins++
		}
		cm, pm := cur[k] >= curThr, prop[k] >= newThr
		add := func(t *tally, mt *tally, is bool) {
			if is {
				t.mqls++
				mt.mqls++
				if won {
					t.caught++
					mt.caught++
				}
			}
		}
		add(&tc, &m.cur, cm)
		add(&tp, &m.prop, pm)
		if cm != pm {
			c := ChangedLead{LeadID: l.IDs[i], CurrentScore: cur[k], ProposedScore: prop[k],
				CurrentMQL: cm, ProposedMQL: pm, Won: won}
			if pm {
				bt.Changed.NewMQLs++
				if won {
					bt.Changed.NewMQLWins++
				}
				gained = append(gained, c)
			} else {
				bt.Changed.DroppedMQLs++
				if won {
					bt.Changed.DroppedMQLWins++
				}
				dropped = append(dropped, c)
			}
		}
	}
	totals := func(t tally, thr, targets int, months float64) BacktestTotals {
		out := BacktestTotals{Threshold: thr, MQLs: t.mqls, WinsCaptured: t.caught}
		if months > 0 {
			out.MQLsPerMonth = float64(t.mqls) / months
		}
		if t.mqls > 0 {
			out.Precision = float64(t.caught) / float64(t.mqls)
		}
		if targets > 0 {
			out.Recall = float64(t.caught) / float64(targets)
		}
		return out
	}
	bt.Current = totals(tc, curThr, wins, months)
	bt.Proposed = totals(tp, newThr, wins, months)
	keys := make([]string, 0, len(byMonth))
	for k := range byMonth {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := byMonth[k]
		// Per month, MQLs per month is the month's MQL count (months = 1).
		bt.Months = append(bt.Months, BacktestMonth{
			Month: k, Leads: m.leads, Wins: m.wins,
			Current: totals(m.cur, curThr, m.wins, 1), Proposed: totals(m.prop, newThr, m.wins, 1),
		})
	}
	// The sample shows the winners first (the leads that matter most), then
	// the largest score changes.
	pick := func(c []ChangedLead) []ChangedLead {
		sort.SliceStable(c, func(a, b int) bool {
			if c[a].Won != c[b].Won {
				return c[a].Won
			}
			da, db := c[a].ProposedScore-c[a].CurrentScore, c[b].ProposedScore-c[b].CurrentScore
			return abs(da) > abs(db)
		})
		if len(c) > maxChangedSample {
			c = c[:maxChangedSample]
		}
		return c
	}
	bt.Changed.Sample = append(append(bt.Changed.Sample, pick(gained)...), pick(dropped)...)
	return bt
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
