package calibrate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// microsPerDay converts the microsecond ages of actionEvents to days.
const microsPerDay = 86400e6

// actionEvents holds, in memory, the events from which every action feature
// of a run is derived: each event of a lead with snapshots that happened
// before the lead's last snapshot moment. Reading them once and deriving
// the counts and decayed sums of every snapshot and half-life here replaces
// a join of the events with the snapshots per half-life tried, per model
// backtested and per sample: at 500k leads and five landmarks those joins
// took most of a run.
type actionEvents struct {
	// names are the action names, sorted; action[e] indexes them.
	names  []string
	action []uint16
	// first[e] is the first row in Leads of event e's lead (a lead's
	// snapshots are consecutive rows).
	first []int32
	// age[e] is occurred_at − created_at in microseconds: the event counts
	// for a snapshot at age span when age < span, and is span − age old.
	age []int64
}

// loadActionEvents reads the events of the leads of rows 0..upTo−1 of l.
func loadActionEvents(ctx context.Context, st *queries.Store, p queries.FeatureParams, l *Leads, upTo int) (*actionEvents, error) {
	ev := &actionEvents{}
	if upTo <= 0 || l.Len() == 0 {
		return ev, nil
	}
	upTo = min(upTo, l.Len())
	index := map[string]uint16{}
	// Rows are in creation order with undated leads last (they have no
	// events: their moment is unknown), so the bound is the creation time of
	// the last dated row before upTo.
	var createdTo time.Time
	for i := upTo - 1; i >= 0 && createdTo.IsZero(); i-- {
		createdTo = l.Created[i]
	}
	err := st.FeatureActionEvents(ctx, p, createdTo, func(e queries.FeatureActionEvent) error {
		first, ok := l.firstRow(e.LeadRow)
		if !ok || first >= upTo {
			return nil
		}
		a, ok := index[e.Action]
		if !ok {
			if len(ev.names) > math.MaxUint16 {
				return fmt.Errorf("calibrate: more than %d distinct actions", math.MaxUint16+1)
			}
			a = uint16(len(ev.names))
			name := strings.Clone(e.Action)
			index[name] = a
			ev.names = append(ev.names, name)
		}
		ev.action = append(ev.action, a)
		ev.first = append(ev.first, int32(first))
		ev.age = append(ev.age, e.AgeMicros)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ev.sortNames()
	return ev, nil
}

// sortNames orders names and renumbers the events' actions to match.
func (ev *actionEvents) sortNames() {
	order := make([]int, len(ev.names))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ev.names[a], ev.names[b]) })
	newIndex := make([]uint16, len(order))
	names := make([]string, len(order))
	for k, old := range order {
		newIndex[old] = uint16(k)
		names[k] = ev.names[old]
	}
	for e, a := range ev.action {
		ev.action[e] = newIndex[a]
	}
	ev.names = names
}

// values returns the action values of the rows of l with rowOf[i] ≥ 0 (a
// nil rowOf: rows 0..nrows−1), stored at row rowOf[i]: with halfLife > 0
// only the decayed sums Σ 0.5^(age/halfLife) (age in days before the
// snapshot's moment), else only the counts.
func (ev *actionEvents) values(l *Leads, halfLife float64, rowOf []int32, nrows int) *ActionValues {
	if halfLife > 0 {
		av := ev.derive(l, []float64{halfLife}, false, rowOf, nrows)
		av.decayedOnly = true
		return av
	}
	return ev.derive(l, nil, true, rowOf, nrows)
}

// gridValues returns the counts and the decayed sums for every half-life of
// grid (days, > 0) of the rows chosen as in values: the material of the
// half-life search.
func (ev *actionEvents) gridValues(l *Leads, grid []float64, rowOf []int32, nrows int) *ActionValues {
	return ev.derive(l, grid, true, rowOf, nrows)
}

// derive computes the counts (when counts) and decayed sums at the
// half-lives hl of the chosen rows.
func (ev *actionEvents) derive(l *Leads, hl []float64, counts bool, rowOf []int32, nrows int) *ActionValues {
	nrows = max(nrows, 0)
	av := &ActionValues{Actions: ev.names, HalfLives: hl, Counts: make([][]float64, len(ev.names))}
	if len(hl) > 0 {
		av.Decayed = make([][][]float64, len(hl))
	}
	for a := range ev.names {
		if counts {
			av.Counts[a] = make([]float64, nrows)
		}
	}
	for h := range hl {
		av.Decayed[h] = make([][]float64, len(ev.names))
		for a := range ev.names {
			av.Decayed[h][a] = make([]float64, nrows)
		}
	}
	span := snapshotSpans(l)
	rate := make([]float64, len(hl)) // −1 / half-life in µs
	for h, d := range hl {
		rate[h] = -1 / (d * microsPerDay)
	}
	n := l.Len()
	// Each action's columns are summed by one goroutine, over that action's
	// events in their order: the sums are those of one pass, bit for bit.
	byAction := ev.eventsByAction()
	next := make(chan int, len(ev.names))
	for a := range ev.names {
		next <- a
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ev.names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range next {
				for _, e := range byAction[a] {
					first, age := ev.first[e], ev.age[e]
					lead := l.Rows[first]
					for i := int(first); i < n && l.Rows[i] == lead; i++ {
						if age >= span[i] {
							continue
						}
						r := row(rowOf, i)
						if r < 0 || r >= nrows {
							continue
						}
						if counts {
							av.Counts[a][r]++
						}
						old := float64(span[i] - age)
						for h, k := range rate {
							av.Decayed[h][a][r] += math.Exp2(old * k)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	return av
}

// eventsByAction returns the indexes of the events of each action, in
// event order (a counting sort by action).
func (ev *actionEvents) eventsByAction() [][]int32 {
	count := make([]int, len(ev.names))
	for _, a := range ev.action {
		count[a]++
	}
	all := make([]int32, len(ev.action))
	out := make([][]int32, len(ev.names))
	at := 0
	for a, c := range count {
		out[a] = all[at : at : at+c]
		at += c
	}
	for e, a := range ev.action {
		out[a] = append(out[a], int32(e))
	}
	return out
}

// snapshotSpans is each row's age at its moment, Cutoff − Created, in
// microseconds.
func snapshotSpans(l *Leads) []int64 {
	span := make([]int64, l.Len())
	for i := range span {
		span[i] = l.cutoff(i).Sub(l.Created[i]).Microseconds()
	}
	return span
}
