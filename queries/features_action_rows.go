package queries

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

//go:embed features_action_rows.sql
var featureActionRowsSQL string

//go:embed features_event_span.sql
var featureEventSpanSQL string

// actionRowsChunk is how many rowids of events one FeatureActionRows query
// reads: a result is held whole in memory until it is read (about 25 bytes
// an event), and the next chunk's query runs while this one is read.
const actionRowsChunk = 8 << 20

// FeatureActionBatch is a batch of FeatureActionRows: events of the actions
// asked for, strictly before the as-of set's moment. Its columns are valid
// only during the callback.
type FeatureActionBatch struct {
	// LeadID.Value(i) is the lead of event i.
	LeadID *array.StringView
	// Action[i] is the event's action: its position in the actions asked
	// for, from 1.
	Action []uint16
	// Weight[i] is 0.5^(age/halfLifeDays), age in days before the moment,
	// or 1 when halfLifeDays is 0.
	Weight []float64
}

// FeatureActionRows calls each with the events of actions that happened
// strictly before the moment of p's as-of set (p.AsOf set; any other set is
// refused), batch by batch in storage order (features_action_rows.sql): the
// action features of scoring, which the caller sums per lead. Events of
// leads outside the set are included; the caller skips them. Nothing is
// called for when no timestamp is stored or no action is asked for.
func (s *Store) FeatureActionRows(ctx context.Context, p FeatureParams, halfLifeDays float64, actions []string, each func(FeatureActionBatch) error) error {
	rows, err := s.NewFeatureActionRows(ctx, p, halfLifeDays, actions)
	if err != nil {
		return err
	}
	defer rows.Close()
	return rows.Each(each)
}

// ActionRows is a FeatureActionRows read that its caller may start ahead
// (Start), so DuckDB runs the first chunk's query while the caller still
// works on something else. Each reads it; Close releases what was not read.
type ActionRows struct {
	s   *Store
	ctx context.Context
	// query is features_action_rows.sql filled in, and span the events'
	// rowids it reads in chunks; query is empty when there is nothing to
	// read.
	query string
	span  int64
	// first is the first chunk's query once started and until read; read
	// is set by Each.
	first chan chunkResult
	read  bool
}

// NewFeatureActionRows prepares a FeatureActionRows read of the same
// arguments; no event is read until Start or Each.
func (s *Store) NewFeatureActionRows(ctx context.Context, p FeatureParams, halfLifeDays float64, actions []string) (*ActionRows, error) {
	if !(halfLifeDays >= 0) {
		return nil, fmt.Errorf("feature action rows: half-life %v days is negative", halfLifeDays)
	}
	if p.AsOf == nil {
		return nil, fmt.Errorf("feature action rows: only for an as-of snapshot set (FeatureParams.AsOf)")
	}
	rows := &ActionRows{s: s, ctx: ctx}
	if len(actions) == 0 {
		return rows, nil
	}
	if len(actions) > 1<<16-1 {
		return nil, fmt.Errorf("feature action rows: %d actions, at most %d", len(actions), 1<<16-1)
	}
	names := make([]string, len(actions))
	for k := range actions {
		names[k] = quoteLiteral(actions[k])
	}
	moment, err := s.asOfMoment(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("feature action rows: %w", err)
	}
	if moment.at.IsZero() {
		return rows, nil // no timestamp anywhere: no event to count
	}
	if err := s.db.QueryRowContext(ctx, featureEventSpanSQL).Scan(&rows.span); err != nil {
		return nil, fmt.Errorf("feature action rows: %w", err)
	}
	at := "TIMESTAMP '" + moment.at.Format("2006-01-02 15:04:05.999999") + "'"
	weight := "1.0::DOUBLE"
	if halfLifeDays > 0 {
		weight = fmt.Sprintf("pow(0.5, (date_diff('microsecond', e.occurred_at, %s) / 86400000000.0) / %s)",
			at, strconv.FormatFloat(halfLifeDays, 'g', -1, 64))
	}
	rows.query = fill(featureActionRowsSQL, "/*WEIGHT*/", weight, "/*MOMENT*/", at, "/*ACTIONS*/", "["+strings.Join(names, ", ")+"]",
		"/*ACTION_IN*/", strings.Join(names, ", "))
	return rows, nil
}

// Start runs the first chunk's query in the background, at the store's
// own memory limit; calling it again, or when there is nothing to read,
// does nothing.
func (a *ActionRows) Start() {
	if a.first == nil && !a.read && a.query != "" && a.span > 0 {
		a.first = a.s.startChunk(a.ctx, a.query, 0, actionRowsChunk)
	}
}

// Each calls each with every batch, as FeatureActionRows does. It reads
// once: a second call returns an error.
func (a *ActionRows) Each(each func(FeatureActionBatch) error) error {
	if a.read {
		return fmt.Errorf("feature action rows: read twice")
	}
	if a.query == "" || a.span <= 0 {
		a.read = true
		return nil
	}
	a.Start()
	first := a.first
	a.first, a.read = nil, true
	// Each block of the events is read once: DuckDB need not keep them.
	return a.s.withScanMemory(a.ctx, func() error {
		return a.s.chunkedArrow(a.ctx, a.query, a.span, actionRowsChunk, first, func(rec arrow.Record) error {
			ids, ok1 := rec.Column(0).(*array.StringView)
			acts, ok2 := rec.Column(1).(*array.Uint16)
			ws, ok3 := rec.Column(2).(*array.Float64)
			if !(ok1 && ok2 && ok3) {
				return fmt.Errorf("feature action rows: unexpected columns %v", rec.Schema())
			}
			return each(FeatureActionBatch{LeadID: ids, Action: acts.Uint16Values(), Weight: ws.Float64Values()})
		})
	})
}

// Close waits for a started chunk's query that Each did not read and
// releases its result.
func (a *ActionRows) Close() {
	if a.first != nil {
		if res := <-a.first; res.r != nil {
			res.r.Release()
		}
		a.first = nil
	}
}

// chunkResult is one chunk's query: its result or its error.
type chunkResult struct {
	r   array.RecordReader
	err error
}

// startChunk runs query over the rowids [lo, lo+chunk) in the background
// and sends its result on the channel returned.
func (s *Store) startChunk(ctx context.Context, query string, lo, chunk int64) chan chunkResult {
	out := make(chan chunkResult, 1)
	go func() {
		r, err := s.ArrowQuery(ctx, query, lo, lo+chunk)
		out <- chunkResult{r, err}
	}()
	return out
}

// chunkedArrow runs query, whose $1 and $2 bound the rowids it reads to
// [lo, hi), over [0, span) in chunks of chunk rowids, and calls each with
// every record in order. The next chunk's query runs while each reads the
// current one, on a second connection. first, when not nil, is the first
// chunk's query already started (startChunk at 0); chunkedArrow then owns
// its result.
func (s *Store) chunkedArrow(ctx context.Context, query string, span, chunk int64, first chan chunkResult, each func(arrow.Record) error) error {
	next := first
	defer func() {
		if next != nil {
			if res := <-next; res.r != nil {
				res.r.Release()
			}
		}
	}()
	if next == nil && span > 0 {
		next = s.startChunk(ctx, query, 0, chunk)
	}
	for lo := int64(0); lo < span; lo += chunk {
		res := <-next
		next = nil
		if lo+chunk < span {
			next = s.startChunk(ctx, query, lo+chunk, chunk)
		}
		if res.err != nil {
			return res.err
		}
		err := eachRecord(res.r, "chunked query", each)
		res.r.Release()
		if err != nil {
			return err
		}
	}
	return nil
}
