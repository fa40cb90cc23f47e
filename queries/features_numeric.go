package queries

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

//go:embed features_attribute_kinds.sql
var attributeKindsSQL string

//go:embed features_numbers.sql
var featureNumbersSQL string

//go:embed features_value_sums.sql
var featureValueSumsSQL string

// AttributeKind says whether one attribute column holds numbers.
type AttributeKind struct {
	// Name is the attribute name, lower-case.
	Name string
	// Filled counts the values that are not empty after trimming (nor
	// NoValue, an empty field as stored), and
	// Numbers those of them that parse as finite numbers (DuckDB TRY_CAST to
	// DOUBLE).
	Filled, Numbers int64
	// TextExample is the smallest filled value that is not a number; "" when
	// every filled value is one.
	TextExample string
}

// Numeric reports whether every filled value of the column is a number
// (and there is at least one).
func (k AttributeKind) Numeric() bool { return k.Filled > 0 && k.Numbers == k.Filled }

// AttributeKinds classifies the named attribute columns (case-insensitive)
// as numeric or not (features_attribute_kinds.sql); a name without any
// filled value has no entry. Sorted by name.
func (s *Store) AttributeKinds(ctx context.Context, names []string) ([]AttributeKind, error) {
	src, err := s.attributeRows(ctx, names)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, fill(attributeKindsSQL, "/*ATTRIBUTES*/", src), lowerAll(names), NoValue)
	if err != nil {
		return nil, fmt.Errorf("attribute kinds: %w", err)
	}
	defer rows.Close()
	var out []AttributeKind
	for rows.Next() {
		var k AttributeKind
		var example *string
		if err := rows.Scan(&k.Name, &k.Filled, &k.Numbers, &example); err != nil {
			return nil, fmt.Errorf("attribute kinds: %w", err)
		}
		if example != nil {
			k.TextExample = *example
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("attribute kinds: %w", err)
	}
	return out, nil
}

// FeatureNumber is one row of FeatureNumbers. Name is valid only during
// the callback.
type FeatureNumber struct {
	// LeadRow is the lead's rowid, as in FeatureSnapshot.
	LeadRow int64
	// Name is the attribute (lower-case) and Number its value.
	Name   string
	Number float64
}

// FeatureNumbers calls each for every lead and named attribute whose value
// is a finite number (features_numbers.sql); other values are missing and
// have no row.
// Only leads whose rowid is a multiple of sampleEvery are read (values
// below 1 read every lead; see FeatureParams.SampleEvery).
func (s *Store) FeatureNumbers(ctx context.Context, names []string, sampleEvery int64, each func(FeatureNumber) error) error {
	src, err := s.attributeRows(ctx, names)
	if err != nil {
		return err
	}
	r, err := s.ArrowQuery(ctx, fill(featureNumbersSQL, "/*ATTRIBUTES*/", src), lowerAll(names), max(sampleEvery, 1))
	if err != nil {
		return fmt.Errorf("feature numbers: %w", err)
	}
	defer r.Release()
	return eachRecord(r, "feature numbers", func(rec arrow.Record) error {
		idx, ok1 := rec.Column(0).(*array.Int64)
		nm, ok2 := rec.Column(1).(*array.StringView)
		num, ok3 := rec.Column(2).(*array.Float64)
		if !(ok1 && ok2 && ok3) {
			return fmt.Errorf("feature numbers: unexpected column types %v", rec.Schema())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			if err := each(FeatureNumber{LeadRow: idx.Value(i), Name: nm.Value(i), Number: num.Value(i)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// FeatureValueSum is one row of FeatureValueSums. Action is valid only
// during the callback.
type FeatureValueSum struct {
	// LeadRow and Seq name the snapshot, as in FeatureSnapshot.
	LeadRow int64
	Seq     int
	// Action is the action's name.
	Action string
	// Total is the sum of the event values of the action before the
	// snapshot's moment; NaN when none of those events has a value.
	Total float64
}

// FeatureValueSums calls each for every snapshot of p's set whose lead was
// created at or before createdTo (zero: every lead) and every action of
// actions its lead did before the snapshot's moment, with the sum of those
// events' values (features_value_sums.sql). A snapshot without a row for
// an action did not do it: its sum is 0.
func (s *Store) FeatureValueSums(ctx context.Context, p FeatureParams, actions []string, createdTo time.Time,
	each func(FeatureValueSum) error) error {
	q, args, err := p.snapshotArgs(featureValueSumsSQL)
	if err != nil {
		return fmt.Errorf("feature value sums: %w", err)
	}
	var to any
	if !createdTo.IsZero() {
		to = createdTo.UTC()
	}
	if actions == nil {
		actions = []string{}
	}
	r, err := s.ArrowQuery(ctx, q, append(args, actions, to)...)
	if err != nil {
		return fmt.Errorf("feature value sums: %w", err)
	}
	defer r.Release()
	return eachRecord(r, "feature value sums", func(rec arrow.Record) error {
		idx, ok1 := rec.Column(0).(*array.Int64)
		seq, ok2 := rec.Column(1).(*array.Int32)
		acts, ok3 := rec.Column(2).(*array.StringView)
		tot, ok4 := rec.Column(3).(*array.Float64)
		if !(ok1 && ok2 && ok3 && ok4) {
			return fmt.Errorf("feature value sums: unexpected column types %v", rec.Schema())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			v := math.NaN()
			if tot.IsValid(i) {
				v = tot.Value(i)
			}
			if err := each(FeatureValueSum{LeadRow: idx.Value(i), Seq: int(seq.Value(i)), Action: acts.Value(i), Total: v}); err != nil {
				return err
			}
		}
		return nil
	})
}
