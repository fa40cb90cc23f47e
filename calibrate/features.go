package calibrate

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/funnel-dev/funnel/queries"
)

// DefaultSalesStages returns the stages whose first entry ends a lead's
// observation window: sal, sql, opportunity.
func DefaultSalesStages() []string { return []string{"sal", "sql", "opportunity"} }

// DefaultTargetStages returns the stages that count as reaching SQL for
// target "sql": sql, opportunity (a won outcome counts too).
func DefaultTargetStages() []string { return []string{"sql", "opportunity"} }

// Leads holds, for every lead in a store, what leak-free features are built
// from: its cut-off, channel, label and maturity (queries.FeatureLeads) and
// the chosen profile attributes. Rows are in out-of-time order (created_at,
// then lead_id). Action values are loaded separately (loadActions) because
// they depend on the half-life.
type Leads struct {
	// IDs are the lead ids.
	IDs []string
	// Created and Cutoff are creation times and cut-offs (UTC).
	Created, Cutoff []time.Time
	// Channel indexes Channels for each lead.
	Channel  []int32
	Channels []string
	// Label is 1 when the target was reached within the horizon, else 0.
	Label []float64
	// Mature is false for leads whose outcome window is still open.
	Mature []bool
	// DataEnd is the latest timestamp in the store.
	DataEnd time.Time
	// Attributes are the attribute names loaded (lower-case), and
	// AttrValues[a][i] the value of attribute a for lead i ("" when missing).
	Attributes []string
	AttrValues [][]string
	// Rows are the leads' rowids in the leads table, by which the action
	// and attribute queries name them; idxOfRow maps a rowid back to the
	// lead's position (−1: no lead).
	Rows     []int64
	idxOfRow []int32
}

// Len is the number of leads.
func (l *Leads) Len() int { return len(l.IDs) }

// loadLeads reads every lead's cut-off, channel, label and maturity, and the
// named attributes, through Arrow.
func loadLeads(ctx context.Context, st *queries.Store, p queries.FeatureParams, attrs []string) (*Leads, error) {
	r, err := st.FeatureLeads(ctx, p)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	// Hold the records to size the slices once (about 1M leads a second
	// faster than growing them).
	var recs []arrow.Record
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	n := 0
	for r.Next() {
		rec := r.Record()
		rec.Retain()
		recs = append(recs, rec)
		n += int(rec.NumRows())
	}
	l := &Leads{
		IDs: make([]string, 0, n), Created: make([]time.Time, 0, n), Cutoff: make([]time.Time, 0, n),
		Channel: make([]int32, 0, n), Label: make([]float64, 0, n), Mature: make([]bool, 0, n),
		Rows: make([]int64, 0, n),
	}
	chanIdx := map[string]int32{}
	for _, rec := range recs {
		ids, ok1 := rec.Column(0).(*array.String)
		created, ok2 := rec.Column(1).(*array.Timestamp)
		channel, ok3 := rec.Column(2).(*array.String)
		cutoff, ok4 := rec.Column(3).(*array.Timestamp)
		label, ok5 := rec.Column(4).(*array.Boolean)
		mature, ok6 := rec.Column(5).(*array.Boolean)
		end, ok7 := rec.Column(6).(*array.Timestamp)
		rows, ok8 := rec.Column(7).(*array.Int64)
		if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8) {
			return nil, fmt.Errorf("feature leads: unexpected column types %v", rec.Schema())
		}
		unit := func(a *array.Timestamp) arrow.TimeUnit {
			return a.DataType().(*arrow.TimestampType).Unit
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			l.IDs = append(l.IDs, strings.Clone(ids.Value(i)))
			l.Created = append(l.Created, created.Value(i).ToTime(unit(created)).UTC())
			l.Cutoff = append(l.Cutoff, cutoff.Value(i).ToTime(unit(cutoff)).UTC())
			c := channel.Value(i)
			ci, ok := chanIdx[c]
			if !ok {
				ci = int32(len(l.Channels))
				c = strings.Clone(c)
				chanIdx[c] = ci
				l.Channels = append(l.Channels, c)
			}
			l.Channel = append(l.Channel, ci)
			y := 0.0
			if label.Value(i) {
				y = 1
			}
			l.Label = append(l.Label, y)
			l.Mature = append(l.Mature, mature.Value(i))
			l.Rows = append(l.Rows, rows.Value(i))
			if end.IsValid(i) {
				l.DataEnd = end.Value(i).ToTime(unit(end)).UTC()
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("feature leads: %w", err)
	}
	if err := l.indexRows(); err != nil {
		return nil, err
	}
	if len(attrs) > 0 {
		if err := l.loadAttributes(ctx, st, attrs); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (l *Leads) loadAttributes(ctx context.Context, st *queries.Store, attrs []string) error {
	col := map[string]int{}
	for _, a := range attrs {
		a = strings.ToLower(strings.TrimSpace(a))
		if _, dup := col[a]; dup || a == "" {
			continue
		}
		col[a] = len(l.Attributes)
		l.Attributes = append(l.Attributes, a)
		l.AttrValues = append(l.AttrValues, make([]string, l.Len()))
	}
	r, err := st.FeatureAttributes(ctx, l.Attributes)
	if err != nil {
		return err
	}
	defer r.Release()
	intern := map[string]string{}
	for r.Next() {
		rec := r.Record()
		idx, ok1 := rec.Column(0).(*array.Int64)
		names, ok2 := rec.Column(1).(*array.String)
		vals, ok3 := rec.Column(2).(*array.String)
		if !(ok1 && ok2 && ok3) {
			return fmt.Errorf("feature attributes: unexpected column types %v", rec.Schema())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			li, ok := l.leadOfRow(idx.Value(i))
			if !ok {
				continue
			}
			a, ok := col[names.Value(i)]
			if !ok {
				continue
			}
			v := vals.Value(i)
			s, ok := intern[v]
			if !ok {
				s = strings.Clone(v)
				intern[s] = s
			}
			l.AttrValues[a][li] = s
		}
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("feature attributes: %w", err)
	}
	return nil
}

// ActionValues are per-lead action features for a subset of leads (rows).
type ActionValues struct {
	// Actions are the action names, sorted.
	Actions []string
	// HalfLives are the decay half-lives of Decayed, in days.
	HalfLives []float64
	// Counts[a][r] is how often row r's lead did action a before its cut-off;
	// nil for every action when decayedOnly.
	Counts [][]float64
	// Decayed[h][a][r] is Σ 0.5^(age/HalfLives[h]) over those events.
	Decayed [][][]float64
	// decayedOnly is set by loadActions with a half-life: every reader then
	// takes Decayed (values with that half-life), so the counts are not
	// kept. At 3.6M leads × 13 actions that is 375 MB less memory to fault
	// in, which costs about 1 s on this machine.
	decayedOnly bool
}

// loadActions reads the action counts or, when halfLife > 0, the decayed sums
//
//	Σ over the events before the cut-off of 0.5^(age/halfLife)
//
// for the leads whose rowOf[lead] ≥ 0, into rows 0..nrows−1 (a nil rowOf
// maps lead i to row i, so reads leads 0..nrows−1). Only the leads up to
// the last one read are queried.
func loadActions(ctx context.Context, st *queries.Store, p queries.FeatureParams, l *Leads,
	halfLife float64, rowOf []int32, nrows int) (*ActionValues, error) {
	maxIdx := min(nrows, l.Len()) - 1
	if rowOf != nil {
		maxIdx = -1
		for i, r := range rowOf {
			if r >= 0 {
				maxIdx = i
			}
		}
	}
	if maxIdx < 0 {
		return &ActionValues{}, nil
	}
	r, err := st.FeatureActions(ctx, p, halfLife, l.Created[maxIdx])
	if err != nil {
		return nil, err
	}
	defer r.Release()
	av := &ActionValues{}
	if halfLife > 0 {
		av.HalfLives = []float64{halfLife}
		av.Decayed = make([][][]float64, 1)
		av.decayedOnly = true
	}
	actIdx := map[string]int{}
	for r.Next() {
		rec := r.Record()
		idx, ok1 := rec.Column(0).(*array.Int64)
		acts, ok2 := rec.Column(1).(*array.String)
		ns, ok3 := rec.Column(2).(*array.Int64)
		dec, ok4 := rec.Column(3).(*array.Float64)
		if !(ok1 && ok2 && ok3 && ok4) {
			return nil, fmt.Errorf("feature actions: unexpected column types %v", rec.Schema())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			ri, ok := l.rowOfLead(idx.Value(i), rowOf, nrows)
			if !ok {
				continue
			}
			a := av.action(actIdx, acts.Value(i), nrows)
			if halfLife > 0 {
				av.Decayed[0][a][ri] = dec.Value(i)
			} else {
				av.Counts[a][ri] = float64(ns.Value(i))
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("feature actions: %w", err)
	}
	av.sortActions()
	return av, nil
}

// loadActionAges reads the events of a sample of leads — those with
// rowOf ≥ 0 (a nil rowOf: leads 0..nrows−1) — and computes their counts and
// decayed sums for every half-life of grid (days, > 0).
func loadActionAges(ctx context.Context, st *queries.Store, p queries.FeatureParams, l *Leads,
	grid []float64, rowOf []int32, nrows int) (*ActionValues, error) {
	var rows []int64
	for i, r := range l.Rows {
		if (rowOf == nil && i < nrows) || (rowOf != nil && rowOf[i] >= 0) {
			rows = append(rows, r)
		}
	}
	r, err := st.FeatureActionAges(ctx, p, rows)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	av := &ActionValues{HalfLives: grid, Decayed: make([][][]float64, len(grid))}
	actIdx := map[string]int{}
	for r.Next() {
		rec := r.Record()
		idx, ok1 := rec.Column(0).(*array.Int64)
		acts, ok2 := rec.Column(1).(*array.String)
		ns, ok3 := rec.Column(2).(*array.Int64)
		lst, ok4 := rec.Column(3).(*array.List)
		if !(ok1 && ok2 && ok3 && ok4) {
			return nil, fmt.Errorf("feature action ages: unexpected column types %v", rec.Schema())
		}
		vals, ok := lst.ListValues().(*array.Float64)
		if !ok {
			return nil, fmt.Errorf("feature action ages: age_days is %v, not a list of doubles", lst.DataType())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			ri, ok := l.rowOfLead(idx.Value(i), rowOf, nrows)
			if !ok {
				continue
			}
			a := av.action(actIdx, acts.Value(i), nrows)
			av.Counts[a][ri] = float64(ns.Value(i))
			lo, hi := lst.ValueOffsets(i)
			for h, hl := range grid {
				sum := 0.0
				for k := lo; k < hi; k++ {
					sum += math.Exp2(-vals.Value(int(k)) / hl)
				}
				av.Decayed[h][a][ri] = sum
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("feature action ages: %w", err)
	}
	av.sortActions()
	return av, nil
}

// indexRows builds idxOfRow from Rows.
func (l *Leads) indexRows() error {
	maxRow := int64(-1)
	for _, r := range l.Rows {
		if r < 0 || r > math.MaxInt32 {
			return fmt.Errorf("feature leads: lead rowid %d out of range", r)
		}
		maxRow = max(maxRow, r)
	}
	l.idxOfRow = make([]int32, maxRow+1)
	for r := range l.idxOfRow {
		l.idxOfRow[r] = -1
	}
	for i, r := range l.Rows {
		l.idxOfRow[r] = int32(i)
	}
	return nil
}

// leadOfRow maps a lead's rowid from SQL to its position (false when no
// lead has it).
func (l *Leads) leadOfRow(row int64) (int, bool) {
	if row < 0 || row >= int64(len(l.idxOfRow)) {
		return 0, false
	}
	i := l.idxOfRow[row]
	return int(i), i >= 0
}

// rowOfLead maps a lead's rowid from SQL to its row among nrows rows: the
// lead's position, or rowOf[position] when rowOf is not nil (false when the
// lead is unknown, not wanted, or beyond nrows).
func (l *Leads) rowOfLead(row int64, rowOf []int32, nrows int) (int, bool) {
	i, ok := l.leadOfRow(row)
	if !ok {
		return 0, false
	}
	if rowOf != nil {
		i = int(rowOf[i])
	}
	return i, i >= 0 && i < nrows
}

// action returns the index of the named action, adding zeroed columns of
// nrows rows when it is new.
func (av *ActionValues) action(actIdx map[string]int, name string, nrows int) int {
	if a, ok := actIdx[name]; ok {
		return a
	}
	a := len(av.Actions)
	name = strings.Clone(name)
	actIdx[name] = a
	av.Actions = append(av.Actions, name)
	if av.decayedOnly {
		av.Counts = append(av.Counts, nil)
	} else {
		av.Counts = append(av.Counts, make([]float64, nrows))
	}
	for h := range av.Decayed {
		av.Decayed[h] = append(av.Decayed[h], make([]float64, nrows))
	}
	return a
}

// sortActions orders the actions by name.
func (av *ActionValues) sortActions() {
	perm := make([]int, len(av.Actions))
	for i := range perm {
		perm[i] = i
	}
	sort.Slice(perm, func(i, j int) bool { return av.Actions[perm[i]] < av.Actions[perm[j]] })
	acts := make([]string, len(perm))
	counts := make([][]float64, len(perm))
	for k, p := range perm {
		acts[k], counts[k] = av.Actions[p], av.Counts[p]
	}
	av.Actions, av.Counts = acts, counts
	for h := range av.Decayed {
		d := make([][]float64, len(perm))
		for k, p := range perm {
			d[k] = av.Decayed[h][p]
		}
		av.Decayed[h] = d
	}
}

// values returns action a's per-row values for half-life h in days (0: counts).
func (av *ActionValues) values(a int, h float64) []float64 {
	if h == 0 {
		return av.Counts[a]
	}
	for k, hl := range av.HalfLives {
		if hl == h {
			return av.Decayed[k][a]
		}
	}
	return nil
}
