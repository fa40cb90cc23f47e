package calibrate

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// DefaultSalesStages returns the stages whose first entry ends a lead's
// observation window: sal, sql, opportunity.
func DefaultSalesStages() []string { return []string{"sal", "sql", "opportunity"} }

// DefaultMQLStages returns the stages that mark marketing's hand-over
// today: mql.
func DefaultMQLStages() []string { return []string{"mql"} }

// DefaultTargetStages returns the stages that count as reaching SQL for
// target "sql": sql, opportunity (a won outcome counts too).
func DefaultTargetStages() []string { return []string{"sql", "opportunity"} }

// Leads holds the snapshots a calibration or a scoring run works on: one
// row per snapshot, a lead seen at one moment (queries.FeatureSnapshots),
// with what leak-free features are built from: the moment (Cutoff), the
// lead's channel, label, maturity and chosen profile attributes. Rows are
// in out-of-time order (created_at, then lead_id, then the snapshot's
// position), a lead's snapshots next to each other. Action values are
// loaded separately (loadActions) because they depend on the half-life.
type Leads struct {
	// IDs are the lead ids of the rows (a lead's snapshots share one string).
	IDs []string
	// Created is the lead's creation time and Cutoff the snapshot's moment
	// (UTC): features use only events strictly before Cutoff. An as-of set
	// has no Cutoff: every dated lead's moment is the same (cutoff).
	Created, Cutoff []time.Time
	// asOfAt is an as-of set's moment.
	asOfAt time.Time
	// Channel indexes Channels for each row.
	Channel  []int32
	Channels []string
	// Label is 1 when the target was reached within the horizon, else 0.
	// An as-of set, which scoring reads, has no Label, Mature, Qualified
	// or Landmark: at 5M leads they and Cutoff were 175 MB of fresh memory
	// holding the same value in every row (42k of score's 645k page
	// faults at 100M events).
	Label []float64
	// Mature is false for leads whose outcome window is still open.
	Mature []bool
	// Handed is true for an as-of snapshot of a lead already in a sales
	// stage or closed (landmark snapshots never are).
	Handed []bool
	// Qualified is true for a lead that entered an MQL stage at any time
	// (the team's MQLs today).
	Qualified []bool
	// Landmark indexes LandmarkDays for each row; −1 for as-of snapshots.
	Landmark []int8
	// LandmarkDays are the landmark ages in days (nil for as-of snapshots).
	LandmarkDays []float64
	// Seq is the row's position among its lead's snapshots.
	Seq []int8
	// DataEnd is the latest timestamp in the store.
	DataEnd time.Time
	// Attributes are the attribute names loaded (lower-case), and
	// AttrValues[a][i] the value of attribute a for row i ("" when missing).
	Attributes []string
	AttrValues [][]string
	// Numbers are the numeric features (numeric attributes and event value
	// sums), one value per row; see loadNumbers.
	Numbers []numericInput
	// Rows are the leads' rowids in the leads table, by which the action
	// and attribute queries name them; firstOfRow maps a rowid to the first
	// row of its lead (−1: no row).
	Rows       []int64
	firstOfRow []int32
	// NumLeads is the number of distinct leads among the rows.
	NumLeads int
	// SampleEvery is the set's queries.FeatureParams.SampleEvery: the rows
	// are every k-th lead in load order (0 or 1: every lead).
	SampleEvery int64
}

// Len is the number of rows (snapshots).
func (l *Leads) Len() int { return len(l.IDs) }

// cutoff is row i's moment: Cutoff[i], or in an as-of set the set's moment
// for a dated lead (zero for an undated one).
func (l *Leads) cutoff(i int) time.Time {
	if l.Cutoff != nil {
		return l.Cutoff[i]
	}
	if l.Created[i].IsZero() {
		return time.Time{}
	}
	return l.asOfAt
}

// loadLeads reads the snapshots of p's set with the named attributes.
func loadLeads(ctx context.Context, st *queries.Store, p queries.FeatureParams, attrs []string) (*Leads, error) {
	return loadLeadsThen(ctx, st, p, attrs, nil)
}

// loadLeadsThen is loadLeads calling read, when not nil, as soon as
// DuckDB has returned the snapshots, before they are ordered and copied
// into the Leads (about 2 s on one CPU at 5M leads), so the caller can
// have DuckDB work beside that.
func loadLeadsThen(ctx context.Context, st *queries.Store, p queries.FeatureParams, attrs []string, read func()) (*Leads, error) {
	l := &Leads{}
	if p.AsOf == nil {
		l.LandmarkDays = append([]float64(nil), p.LandmarkDays...)
		l.SampleEvery = p.SampleEvery
	}
	asOf := p.AsOf != nil
	chanIdx := map[string]int32{}
	lastID := ""
	var ids idArena
	sized := func(n int) {
		if read != nil {
			read()
		}
		l.IDs, l.Created = make([]string, 0, n), make([]time.Time, 0, n)
		l.Channel, l.Handed, l.Rows = make([]int32, 0, n), make([]bool, 0, n), make([]int64, 0, n)
		l.Seq = make([]int8, 0, n)
		if !asOf {
			l.Cutoff, l.Label, l.Mature = make([]time.Time, 0, n), make([]float64, 0, n), make([]bool, 0, n)
			l.Qualified, l.Landmark = make([]bool, 0, n), make([]int8, 0, n)
		}
	}
	err := st.FeatureSnapshots(ctx, p, sized, func(s queries.FeatureSnapshot) error {
		id := lastID
		if s.Seq == 0 || s.LeadID != lastID {
			id = ids.clone(s.LeadID)
			lastID = id
			l.NumLeads++
		}
		if s.Seq > math.MaxInt8 || s.Landmark > math.MaxInt8 {
			return fmt.Errorf("feature snapshots: more than %d landmarks", math.MaxInt8)
		}
		l.IDs = append(l.IDs, id)
		l.Created = append(l.Created, s.Created)
		ci, ok := chanIdx[s.Channel]
		if !ok {
			ci = int32(len(l.Channels))
			c := strings.Clone(s.Channel)
			chanIdx[c] = ci
			l.Channels = append(l.Channels, c)
		}
		l.Channel = append(l.Channel, ci)
		l.Handed = append(l.Handed, s.Handed)
		l.Seq = append(l.Seq, int8(s.Seq))
		l.Rows = append(l.Rows, s.LeadRow)
		if asOf {
			if !s.At.IsZero() {
				l.asOfAt = s.At
			}
		} else {
			y := 0.0
			if s.Label {
				y = 1
			}
			l.Cutoff = append(l.Cutoff, s.At)
			l.Label = append(l.Label, y)
			l.Mature = append(l.Mature, s.Mature)
			l.Qualified = append(l.Qualified, s.Qualified)
			l.Landmark = append(l.Landmark, int8(s.Landmark))
		}
		if !s.DataEnd.IsZero() {
			l.DataEnd = s.DataEnd
		}
		return nil
	})
	if err != nil {
		return nil, err
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
	intern := map[string]string{}
	return st.FeatureAttributes(ctx, l.Attributes, l.SampleEvery, func(fa queries.FeatureAttribute) error {
		first, ok := l.firstRow(fa.LeadRow)
		if !ok {
			return nil
		}
		a, ok := col[fa.Name]
		if !ok {
			return nil
		}
		s, ok := intern[fa.Value]
		if !ok {
			s = strings.Clone(fa.Value)
			intern[s] = s
		}
		for i := first; i < l.Len() && l.Rows[i] == fa.LeadRow; i++ {
			l.AttrValues[a][i] = s
		}
		return nil
	})
}

// ActionValues are per-snapshot action features for a subset of rows.
type ActionValues struct {
	// Actions are the action names, sorted.
	Actions []string
	// HalfLives are the decay half-lives of Decayed, in days.
	HalfLives []float64
	// Counts[a][r] is how often row r's lead did action a before its moment;
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
//	Σ over the events before the snapshot's moment of 0.5^(age/halfLife)
//
// for the rows i whose rowOf[i] ≥ 0 (a nil rowOf maps row i to row i, so
// reads rows 0..nrows−1), into rows 0..nrows−1. Only the leads up to the
// last row read are queried. A landmark run that needs several half-lives
// or row sets reads the events once with loadActionEvents instead. An
// as-of set (one snapshot per lead) is refused: its values come from
// loadActionTotals, for the model's actions.
func loadActions(ctx context.Context, st *queries.Store, p queries.FeatureParams, l *Leads,
	halfLife float64, rowOf []int32, nrows int) (*ActionValues, error) {
	upTo := min(nrows, l.Len())
	if rowOf != nil {
		upTo = 0
		for i, r := range rowOf {
			if r >= 0 {
				upTo = i + 1
			}
		}
	}
	if p.AsOf != nil {
		return nil, fmt.Errorf("calibrate: action values of an as-of set come from loadActionTotals")
	}
	ev, err := loadActionEvents(ctx, st, p, l, upTo)
	if err != nil {
		return nil, err
	}
	return ev.values(l, halfLife, rowOf, nrows), nil
}

// rowFinder returns a function that finds the row of a lead id (the first,
// in a landmark set) or −1. Its index is built at the first call.
func (l *Leads) rowFinder() func(id string) int32 {
	var index *idIndex
	return func(id string) int32 {
		if index == nil {
			index = newIDIndex(l.IDs)
		}
		return index.row(id)
	}
}

// indexRows builds firstOfRow from Rows.
func (l *Leads) indexRows() error {
	maxRow := int64(-1)
	for _, r := range l.Rows {
		if r < 0 || r > math.MaxInt32 {
			return fmt.Errorf("feature snapshots: lead rowid %d out of range", r)
		}
		maxRow = max(maxRow, r)
	}
	l.firstOfRow = make([]int32, maxRow+1)
	for r := range l.firstOfRow {
		l.firstOfRow[r] = -1
	}
	for i := len(l.Rows) - 1; i >= 0; i-- {
		l.firstOfRow[l.Rows[i]] = int32(i)
	}
	return nil
}

// firstRow returns the first row of the lead with rowid row (false when no
// row has it).
func (l *Leads) firstRow(row int64) (int, bool) {
	if row < 0 || row >= int64(len(l.firstOfRow)) {
		return 0, false
	}
	i := l.firstOfRow[row]
	return int(i), i >= 0
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
