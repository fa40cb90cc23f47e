package queries

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

//go:embed snapshot_bounds.sql
var snapshotBoundsSQL string

//go:embed snapshot_landmarks.sql
var snapshotLandmarksSQL string

//go:embed snapshot_as_of.sql
var snapshotAsOfSQL string

//go:embed features_snapshots.sql
var featureSnapshotsSQL string

//go:embed features_snapshots_as_of.sql
var featureSnapshotsAsOfSQL string

//go:embed features_action_events.sql
var featureActionEventsSQL string

//go:embed features_as_of_moment.sql
var featureAsOfMomentSQL string

//go:embed features_attributes.sql
var featureAttributesSQL string

// FeatureParams say at which moments leads are looked at (the snapshot set)
// and what the target is. A snapshot is a lead seen at one moment: its
// features are the events strictly before that moment, decayed from it.
type FeatureParams struct {
	// LandmarkDays are the lead ages, in days after created_at and
	// ascending, at which landmark snapshots are taken (snapshot_landmarks.sql):
	// a lead has a snapshot at age ℓ when at created_at + ℓ it was neither in
	// a sales stage nor closed, and that moment is within the data. Ignored
	// when AsOf is set.
	LandmarkDays []float64
	// AsOf, when not nil, takes one snapshot of every lead created by then at
	// that moment instead (snapshot_as_of.sql); a zero time means just after
	// the end of the data.
	AsOf *time.Time
	// HorizonDays is the outcome window in days after created_at.
	HorizonDays float64
	// SalesStages are the stage names (any case) owned by sales; a lead is
	// handed over at its first entry into one of them (or its first outcome).
	SalesStages []string
	// Target is "won" or "sql".
	Target string
	// TargetStages are the stage names (any case) that count as reaching
	// SQL when Target is "sql"; a won outcome counts too.
	TargetStages []string
	// MQLStages are the stage names (any case) of marketing's hand-over
	// today, for FeatureSnapshot.Qualified.
	MQLStages []string
	// SampleEvery, when above 1, keeps only the leads whose rowid in leads
	// is a multiple of it in a landmark set: every k-th lead in load order,
	// a systematic sample that every query of the set sees alike. As-of sets
	// (scoring) always take every lead.
	SampleEvery int64
}

// snapshotArgs returns the query text with /*SNAPSHOTS*/ replaced by the
// snapshot set's CTEs, and the set's two parameters ($1, $2).
func (p FeatureParams) snapshotArgs(query string) (string, []any, error) {
	set := snapshotLandmarksSQL
	var first any = p.LandmarkDays
	if p.AsOf != nil {
		set = snapshotAsOfSQL
		first = nil
		if !p.AsOf.IsZero() {
			first = p.AsOf.UTC()
		}
	} else {
		if len(p.LandmarkDays) == 0 {
			return "", nil, fmt.Errorf("no landmark ages given")
		}
		for i, d := range p.LandmarkDays {
			if !(d >= 0) || (i > 0 && d <= p.LandmarkDays[i-1]) {
				return "", nil, fmt.Errorf("landmark ages %v must be ascending and not negative", p.LandmarkDays)
			}
		}
	}
	every := max(p.SampleEvery, 1)
	if p.AsOf != nil {
		every = 1
	}
	// A formatted integer, not text from outside: safe to splice.
	set = strings.ReplaceAll(set, "/*SAMPLE_EVERY*/", strconv.FormatInt(every, 10))
	ctes := stripComments(snapshotBoundsSQL) + ",\n" + stripComments(set)
	return fill(query, "/*SNAPSHOTS*/", ctes), []any{first, lowerAll(p.SalesStages)}, nil
}

func lowerAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(strings.TrimSpace(n))
	}
	return out
}

// FeatureSnapshot is one row of FeatureSnapshots. Its strings are valid
// only during the callback that receives it.
type FeatureSnapshot struct {
	// LeadID, Created and Channel describe the lead; Created is zero for an
	// undated lead (created_at NULL), whose one snapshot has a zero At.
	LeadID  string
	Created time.Time
	Channel string
	// Seq is the snapshot's position among its lead's snapshots (0, 1, …);
	// with landmarks it is the landmark's index in LandmarkDays.
	Seq int
	// Landmark indexes FeatureParams.LandmarkDays; −1 for an as-of snapshot.
	Landmark int
	// At is the moment of the snapshot: features use events strictly before it.
	At time.Time
	// Label is true when the target happened within the horizon of creation.
	// Label, Mature and Qualified are false in an as-of set, which scoring
	// reads and which looks at no outcome (features_snapshots_as_of.sql).
	Label bool
	// Mature is true when the outcome window closed before the data ended.
	Mature bool
	// Handed is true when the lead was in a sales stage or closed before At.
	Handed bool
	// Qualified is true when the lead entered an MQL stage at any time.
	Qualified bool
	// DataEnd is the latest timestamp in the store.
	DataEnd time.Time
	// LeadRow is the lead's rowid in leads, by which FeatureActions,
	// FeatureActionAges and FeatureAttributes name it.
	LeadRow int64
}

// FeatureSnapshots calls each for every snapshot of p's set, ordered by
// created_at, lead_id and Seq (features_snapshots.sql, or
// features_snapshots_as_of.sql for an as-of set). When sized is not nil it
// is first called with the number of snapshots, so the caller can size its
// columns once (growing them row by row cost about 3 s of 12 at 2.4M
// snapshots, most of it copying and write barriers).
func (s *Store) FeatureSnapshots(ctx context.Context, p FeatureParams, sized func(n int), each func(FeatureSnapshot) error) error {
	if p.Target != "won" && p.Target != "sql" {
		return fmt.Errorf("feature snapshots: target %q is neither won nor sql", p.Target)
	}
	target := "won"
	if p.Target == "sql" {
		target = "reached_sql"
	}
	query := fill(featureSnapshotsSQL, "/*TARGET*/", target)
	var asOf *asOfRows
	if p.AsOf != nil {
		query = featureSnapshotsAsOfSQL
		m, err := s.asOfMoment(ctx, p)
		if err != nil {
			return fmt.Errorf("feature snapshots: %w", err)
		}
		asOf = &asOfRows{asOfMoment: m}
	}
	q, args, err := p.snapshotArgs(query)
	if err != nil {
		return fmt.Errorf("feature snapshots: %w", err)
	}
	if p.AsOf == nil {
		args = append(args, p.HorizonDays, lowerAll(p.TargetStages), lowerAll(p.MQLStages))
	}
	var handed <-chan error
	if asOf != nil {
		handed = s.readHandedAsOf(ctx, p, asOf)
	}
	r, err := s.ArrowQuery(ctx, q, args...)
	if err == nil && handed != nil {
		err = <-handed
		handed = nil
	}
	if handed != nil {
		<-handed
	}
	if err != nil {
		if r != nil {
			r.Release()
		}
		return fmt.Errorf("feature snapshots: %w", err)
	}
	defer r.Release()
	var recs []arrow.Record
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	spans := landmarkSpans(p)
	n := 0
	var cols []snapshotColumns
	if err := eachRecord(r, "feature snapshots", func(rec arrow.Record) error {
		rec.Retain()
		recs = append(recs, rec)
		c, err := snapshotColumnsOf(rec, asOf)
		if err != nil {
			return err
		}
		cols = append(cols, c)
		for i := 0; i < c.ids.Len(); i++ {
			n += c.snapshots(i)
		}
		return nil
	}); err != nil {
		return err
	}
	if sized != nil {
		sized(n)
	}
	for _, at := range snapshotOrder(cols) {
		if err := cols[at.rec].emit(int(at.row), spans, each); err != nil {
			return err
		}
	}
	return nil
}

// landmarkSpans are p's landmark ages in whole microseconds, rounded as
// snapshot_landmarks.sql rounds them (nil for an as-of set).
func landmarkSpans(p FeatureParams) []int64 {
	if p.AsOf != nil {
		return nil
	}
	spans := make([]int64, len(p.LandmarkDays))
	for k, d := range p.LandmarkDays {
		spans[k] = int64(math.Round(d * 86400000000))
	}
	return spans
}

// snapshotColumns are the columns of one record of FeatureSnapshots. A
// record of an as-of set (features_snapshots_as_of.sql) has only ids,
// created, channel and rows; asOf holds what its other columns would
// repeat on every row, and which leads were handed over.
type snapshotColumns struct {
	ids, channel                     *array.StringView
	created, at, end                 *array.Timestamp
	marks                            *array.Int32
	label, mature, handed, qualified *array.Boolean
	rows                             *array.Int64
	asOf                             *asOfRows
}

// snapshotColumnsOf checks and names the columns of rec: those of
// features_snapshots.sql, or of features_snapshots_as_of.sql when asOf is
// not nil.
func snapshotColumnsOf(rec arrow.Record, asOf *asOfRows) (snapshotColumns, error) {
	c := snapshotColumns{asOf: asOf}
	ok := true
	c.ids = columnAs[*array.StringView](rec, 0, &ok)
	c.created = columnAs[*array.Timestamp](rec, 1, &ok)
	c.channel = columnAs[*array.StringView](rec, 2, &ok)
	want := int64(11)
	if asOf != nil {
		want = 4
		c.rows = columnAs[*array.Int64](rec, 3, &ok)
	} else {
		c.marks = columnAs[*array.Int32](rec, 3, &ok)
		c.at = columnAs[*array.Timestamp](rec, 4, &ok)
		c.label = columnAs[*array.Boolean](rec, 5, &ok)
		c.mature = columnAs[*array.Boolean](rec, 6, &ok)
		c.handed = columnAs[*array.Boolean](rec, 7, &ok)
		c.qualified = columnAs[*array.Boolean](rec, 8, &ok)
		c.end = columnAs[*array.Timestamp](rec, 9, &ok)
		c.rows = columnAs[*array.Int64](rec, 10, &ok)
	}
	if !ok || rec.NumCols() != want {
		return c, fmt.Errorf("feature snapshots: unexpected columns %v", rec.Schema())
	}
	return c, nil
}

// columnAs returns column i of rec as a T, or clears ok when rec has no
// such column of that type.
func columnAs[T arrow.Array](rec arrow.Record, i int, ok *bool) T {
	var c T
	if i < int(rec.NumCols()) {
		var is bool
		if c, is = rec.Column(i).(T); is {
			return c
		}
	}
	*ok = false
	return c
}

// snapshots is the number of snapshots of row i: its marks, or one as-of
// snapshot when it has none (an as-of set, or marks NULL).
func (c *snapshotColumns) snapshots(i int) int {
	if c.marks == nil || c.marks.IsNull(i) {
		return 1
	}
	return int(c.marks.Value(i))
}

// emit calls each for every snapshot of the lead in row i: a lead with
// marks m has landmark snapshots 0..m−1 at created_at + spans[k]; a lead
// without marks has one as-of snapshot at its `at`. The last landmark
// moment computed here must equal the query's `at`, so the two roundings of
// an age cannot drift apart unnoticed.
func (c *snapshotColumns) emit(i int, spans []int64, each func(FeatureSnapshot) error) error {
	if c.asOf != nil {
		row := c.rows.Value(i)
		f := FeatureSnapshot{
			LeadID: c.ids.Value(i), Created: timeOf(c.created, i), Channel: c.channel.Value(i),
			Landmark: -1, Handed: c.asOf.handedRow(row), DataEnd: c.asOf.dataEnd, LeadRow: row,
		}
		if !f.Created.IsZero() { // an undated lead's snapshot has no moment
			f.At = c.asOf.at
		}
		return each(f)
	}
	f := FeatureSnapshot{
		LeadID: c.ids.Value(i), Created: timeOf(c.created, i), Channel: c.channel.Value(i),
		Landmark: -1, At: timeOf(c.at, i),
		Label: c.label.Value(i), Mature: c.mature.Value(i), Handed: c.handed.Value(i), Qualified: c.qualified.Value(i),
		DataEnd: timeOf(c.end, i), LeadRow: c.rows.Value(i),
	}
	if c.marks.IsNull(i) {
		return each(f)
	}
	last := f.At
	m := int(c.marks.Value(i))
	if m < 1 || m > len(spans) {
		return fmt.Errorf("feature snapshots: lead %q has %d snapshots of %d landmarks", f.LeadID, m, len(spans))
	}
	for k := range m {
		f.Seq, f.Landmark = k, k
		if !f.Created.IsZero() { // an undated lead's one snapshot has no moment
			f.At = f.Created.Add(time.Duration(spans[k]) * time.Microsecond)
		}
		if k == m-1 && !f.At.Equal(last) {
			return fmt.Errorf("feature snapshots: lead %q: last snapshot at %v, the query says %v", f.LeadID, f.At, last)
		}
		if err := each(f); err != nil {
			return err
		}
	}
	return nil
}

// timeOf returns element i of a timestamp column in UTC (zero when null).
func timeOf(a *array.Timestamp, i int) time.Time {
	if !a.IsValid(i) {
		return time.Time{}
	}
	return a.Value(i).ToTime(a.DataType().(*arrow.TimestampType).Unit).UTC()
}

// FeatureActionEvent is one row of FeatureActionEvents: one event of a
// lead with snapshots, before the lead's last snapshot moment. Action is
// valid only during the callback.
type FeatureActionEvent struct {
	// LeadRow names the lead, as in FeatureSnapshot.
	LeadRow int64
	// Action is the event's action.
	Action string
	// AgeMicros is occurred_at − created_at in microseconds: the event counts
	// for a snapshot at age span exactly when AgeMicros < span, and is then
	// span − AgeMicros old.
	AgeMicros int64
	// Value is the event's value; HasValue is false when it has none.
	Value    float64
	HasValue bool
}

// FeatureActionEvents calls each for every event of the leads of p's set
// created at or before createdTo that happened before the lead's last
// snapshot moment (features_action_events.sql): one scan of the events
// from which the caller derives every snapshot's counts and decayed sums
// for any half-life. Reading only the mature leads, the oldest, saves a
// third of the time at 97M events.
func (s *Store) FeatureActionEvents(ctx context.Context, p FeatureParams, createdTo time.Time, each func(FeatureActionEvent) error) error {
	q, args, err := p.snapshotArgs(featureActionEventsSQL)
	if err != nil {
		return fmt.Errorf("feature action events: %w", err)
	}
	r, err := s.ArrowQuery(ctx, q, append(args, createdTo)...)
	if err != nil {
		return fmt.Errorf("feature action events: %w", err)
	}
	defer r.Release()
	return eachRecord(r, "feature action events", func(rec arrow.Record) error {
		rows, ok1 := rec.Column(0).(*array.Int64)
		acts, ok2 := rec.Column(1).(*array.StringView)
		ages, ok3 := rec.Column(2).(*array.Int64)
		vals, ok4 := rec.Column(3).(*array.Float64)
		if !(ok1 && ok2 && ok3 && ok4) {
			return fmt.Errorf("feature action events: unexpected column types %v", rec.Schema())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			e := FeatureActionEvent{LeadRow: rows.Value(i), Action: acts.Value(i), AgeMicros: ages.Value(i)}
			if vals.IsValid(i) {
				e.Value, e.HasValue = vals.Value(i), true
			}
			if err := each(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// FeatureAttribute is one row of FeatureAttributes. Its strings are valid
// only during the callback.
type FeatureAttribute struct {
	// LeadRow is the lead's rowid, as in FeatureSnapshot.
	LeadRow int64
	// Name is the attribute (lower-case) and Value its value.
	Name, Value string
}

// FeatureAttributes calls each for every lead and chosen attribute with a
// non-null value (features_attributes.sql).
// Only leads whose rowid is a multiple of sampleEvery are read (values
// below 1 read every lead; see FeatureParams.SampleEvery).
func (s *Store) FeatureAttributes(ctx context.Context, names []string, sampleEvery int64, each func(FeatureAttribute) error) error {
	src, err := s.attributeRows(ctx, names)
	if err != nil {
		return err
	}
	r, err := s.ArrowQuery(ctx, fill(featureAttributesSQL, "/*ATTRIBUTES*/", src), lowerAll(names), max(sampleEvery, 1))
	if err != nil {
		return fmt.Errorf("feature attributes: %w", err)
	}
	defer r.Release()
	return eachRecord(r, "feature attributes", func(rec arrow.Record) error {
		idx, ok1 := rec.Column(0).(*array.Int64)
		nm, ok2 := rec.Column(1).(*array.StringView)
		vals, ok3 := rec.Column(2).(*array.StringView)
		if !(ok1 && ok2 && ok3) {
			return fmt.Errorf("feature attributes: unexpected column types %v", rec.Schema())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			if err := each(FeatureAttribute{LeadRow: idx.Value(i), Name: nm.Value(i), Value: vals.Value(i)}); err != nil {
				return err
			}
		}
		return nil
	})
}

//go:embed features_names.sql
var featureNamesSQL string

// FeatureNameSet lists the names a scoring model may refer to.
type FeatureNameSet struct {
	// Actions are the distinct event actions, Channels the distinct lead
	// channels, Attributes the distinct attribute names (lower-case); each sorted.
	Actions, Channels, Attributes []string
}

// FeatureNames returns the actions, channels and attribute names the store holds.
func (s *Store) FeatureNames(ctx context.Context) (FeatureNameSet, error) {
	var out FeatureNameSet
	src, err := s.attributeNames(ctx)
	if err != nil {
		return FeatureNameSet{}, err
	}
	rows, err := s.db.QueryContext(ctx, fill(featureNamesSQL, "/*ATTRIBUTE_NAMES*/", src))
	if err != nil {
		return out, fmt.Errorf("feature names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, name string
		if err := rows.Scan(&kind, &name); err != nil {
			return out, fmt.Errorf("feature names: %w", err)
		}
		switch kind {
		case "action":
			out.Actions = append(out.Actions, name)
		case "channel":
			out.Channels = append(out.Channels, name)
		case "attribute":
			out.Attributes = append(out.Attributes, name)
		}
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("feature names: %w", err)
	}
	return out, nil
}

// eachRecord calls each for every record of r and then reports r's error,
// both wrapped with what was read.
func eachRecord(r array.RecordReader, what string, each func(arrow.Record) error) error {
	for r.Next() {
		if err := each(r.Record()); err != nil {
			return err
		}
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

//go:embed features_lead_sample.sql
var featureLeadSampleSQL string

// LeadSample is the size of a sample of every k-th lead in load order.
type LeadSample struct {
	// Total is every lead in the store; Sampled those whose rowid is a
	// multiple of k (FeatureParams.SampleEvery).
	Total, Sampled int64
}

// FeatureLeadSample counts the leads of the store and of the sample of
// every k-th lead (features_lead_sample.sql); k below 1 counts every lead.
func (s *Store) FeatureLeadSample(ctx context.Context, k int64) (LeadSample, error) {
	var n LeadSample
	if err := s.db.QueryRowContext(ctx, featureLeadSampleSQL, max(k, 1)).Scan(&n.Total, &n.Sampled); err != nil {
		return LeadSample{}, fmt.Errorf("lead sample: %w", err)
	}
	return n, nil
}
