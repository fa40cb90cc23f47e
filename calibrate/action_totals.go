package calibrate

import (
	"context"

	"github.com/funnel-dev/funnel/queries"
)

// leadsSkipped is how many rowids of leads past the last lead found
// loadActionTotals tries before it looks a lead id up.
const leadsSkipped = 8

// loadActionTotals reads, for an as-of set (one snapshot per lead, every
// row its own lead), the values of the named actions: decayed sums when
// halfLife > 0, else counts (actionTotals).
func loadActionTotals(ctx context.Context, st *queries.Store, p queries.FeatureParams, l *Leads,
	halfLife float64, actions []string) (*ActionValues, error) {
	rows, err := st.NewFeatureActionRows(ctx, p, halfLife, actions)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return actionTotals(rows, l, halfLife, actions)
}

// actionTotals sums rows, a read of the named actions' events for l's
// as-of set (queries.Store.NewFeatureActionRows with the same half-life
// and actions), per lead. Actions no lead did before the moment are left
// out of the result. The events come in storage order; a lead's row is
// looked up only where the lead changes from the previous event. Events of
// leads without a snapshot moment (undated) or outside the set are
// skipped.
func actionTotals(rows *queries.ActionRows, l *Leads, halfLife float64, actions []string) (*ActionValues, error) {
	cols := make([][]float64, len(actions))
	for k := range cols {
		cols[k] = make([]float64, l.Len())
	}
	did := make([]bool, len(actions))
	find := l.rowFinder()
	next := int64(0) // the rowid in leads after the last lead found
	err := rows.Each(func(b queries.FeatureActionBatch) error {
		// last points into the batch, so it starts afresh with each one; a
		// lead id is never empty.
		last, row := "", int32(-1)
		for e, a := range b.Action {
			if id := b.LeadID.Value(e); id != last {
				// Events stored lead by lead in the order the leads are
				// stored (as a load keeps an export's files) find their
				// lead at the last rowid found (a lead's events go on in
				// the next batch) or one of the next few (leads without
				// events are skipped); others look it up. Following the
				// rows, sorted by created_at, missed at every tie and file
				// shard: 93k lookups at 98M events, and building the index
				// for them cost 0.9 s.
				row = -1
				for r := next - 1; r < next+leadsSkipped; r++ {
					if i, ok := l.firstRow(r); ok && l.IDs[i] == id {
						row = int32(i)
						break
					}
				}
				if row < 0 {
					row = find(id)
				}
				if row >= 0 {
					next = l.Rows[row] + 1
				}
				if row >= 0 && l.cutoff(int(row)).IsZero() {
					row = -1 // undated: no event counts
				}
				last = id
			}
			if row < 0 {
				continue
			}
			cols[a-1][row] += b.Weight[e]
			did[a-1] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	av := &ActionValues{}
	if halfLife > 0 {
		av.HalfLives = []float64{halfLife}
		av.Decayed = make([][][]float64, 1)
		av.decayedOnly = true
	}
	for k, a := range actions {
		if !did[k] {
			continue
		}
		av.Actions = append(av.Actions, a)
		if halfLife > 0 {
			av.Counts = append(av.Counts, nil)
			av.Decayed[0] = append(av.Decayed[0], cols[k])
		} else {
			av.Counts = append(av.Counts, cols[k])
		}
	}
	av.sortActions()
	return av, nil
}
