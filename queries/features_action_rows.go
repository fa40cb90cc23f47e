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
	if !(halfLifeDays >= 0) {
		return fmt.Errorf("feature action rows: half-life %v days is negative", halfLifeDays)
	}
	if p.AsOf == nil {
		return fmt.Errorf("feature action rows: only for an as-of snapshot set (FeatureParams.AsOf)")
	}
	if len(actions) == 0 {
		return nil
	}
	if len(actions) > 1<<16-1 {
		return fmt.Errorf("feature action rows: %d actions, at most %d", len(actions), 1<<16-1)
	}
	names := make([]string, len(actions))
	for k := range actions {
		names[k] = quoteLiteral(actions[k])
	}
	moment, err := s.asOfMoment(ctx, p)
	if err != nil {
		return fmt.Errorf("feature action rows: %w", err)
	}
	if moment.at.IsZero() {
		return nil // no timestamp anywhere: no event to count
	}
	var span int64
	if err := s.db.QueryRowContext(ctx, featureEventSpanSQL).Scan(&span); err != nil {
		return fmt.Errorf("feature action rows: %w", err)
	}
	at := "TIMESTAMP '" + moment.at.Format("2006-01-02 15:04:05.999999") + "'"
	weight := "1.0::DOUBLE"
	if halfLifeDays > 0 {
		weight = fmt.Sprintf("pow(0.5, (date_diff('microsecond', e.occurred_at, %s) / 86400000000.0) / %s)",
			at, strconv.FormatFloat(halfLifeDays, 'g', -1, 64))
	}
	q := fill(featureActionRowsSQL, "/*WEIGHT*/", weight, "/*MOMENT*/", at, "/*ACTIONS*/", "["+strings.Join(names, ", ")+"]",
		"/*ACTION_IN*/", strings.Join(names, ", "))
	// Each block of the events is read once: DuckDB need not keep them.
	return s.withScanMemory(ctx, func() error {
		return s.chunkedArrow(ctx, q, span, actionRowsChunk, func(rec arrow.Record) error {
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

// chunkedArrow runs query, whose $1 and $2 bound the rowids it reads to
// [lo, hi), over [0, span) in chunks of chunk rowids, and calls each with
// every record in order. The next chunk's query runs while each reads the
// current one, on a second connection.
func (s *Store) chunkedArrow(ctx context.Context, query string, span, chunk int64, each func(arrow.Record) error) error {
	type result struct {
		r   array.RecordReader
		err error
	}
	start := func(lo int64) chan result {
		out := make(chan result, 1)
		go func() {
			r, err := s.ArrowQuery(ctx, query, lo, lo+chunk)
			out <- result{r, err}
		}()
		return out
	}
	var next chan result
	defer func() {
		if next != nil {
			if res := <-next; res.r != nil {
				res.r.Release()
			}
		}
	}()
	if span > 0 {
		next = start(0)
	}
	for lo := int64(0); lo < span; lo += chunk {
		res := <-next
		next = nil
		if lo+chunk < span {
			next = start(lo + chunk)
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
