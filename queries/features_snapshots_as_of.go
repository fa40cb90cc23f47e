package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"time"
)

//go:embed features_handed_as_of.sql
var featureHandedAsOfSQL string

// asOfMoment is an as-of set's moment and the end of its data, each zero
// when the store holds no timestamp (features_as_of_moment.sql).
type asOfMoment struct{ at, dataEnd time.Time }

// asOfMoment reads the moment and the end of the data of p's as-of set.
func (s *Store) asOfMoment(ctx context.Context, p FeatureParams) (asOfMoment, error) {
	q, args, err := p.snapshotArgs(featureAsOfMomentSQL)
	if err != nil {
		return asOfMoment{}, err
	}
	var at, end sql.NullTime
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&at, &end); err != nil {
		return asOfMoment{}, fmt.Errorf("the moment: %w", err)
	}
	var m asOfMoment
	if at.Valid {
		m.at = at.Time.UTC()
	}
	if end.Valid {
		m.dataEnd = end.Time.UTC()
	}
	return m, nil
}

// asOfRows is what the rows of an as-of set share: its moment and end of
// data, and which of its leads were handed over (features_handed_as_of.sql).
type asOfRows struct {
	asOfMoment
	// handed has bit r set when the lead of rowid r was handed over.
	handed []uint64
}

// handedRow reports whether the lead of rowid row was handed over.
func (a *asOfRows) handedRow(row int64) bool {
	w := row / 64
	return row >= 0 && w < int64(len(a.handed)) && a.handed[w]&(1<<(row%64)) != 0
}

// readHandedAsOf reads the handed-over leads of p's as-of set into a,
// beside the caller's query, and sends its error (nil when done) on the
// channel returned.
func (s *Store) readHandedAsOf(ctx context.Context, p FeatureParams, a *asOfRows) <-chan error {
	done := make(chan error, 1)
	go func() { done <- s.handedAsOf(ctx, p, a) }()
	return done
}

func (s *Store) handedAsOf(ctx context.Context, p FeatureParams, a *asOfRows) error {
	q, args, err := p.snapshotArgs(featureHandedAsOfSQL)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("handed-over leads: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var row int64
		if err := rows.Scan(&row); err != nil {
			return fmt.Errorf("handed-over leads: %w", err)
		}
		if row < 0 {
			return fmt.Errorf("handed-over leads: rowid %d", row)
		}
		w := int(row / 64)
		if w >= len(a.handed) {
			a.handed = append(a.handed, make([]uint64, w+1-len(a.handed))...)
		}
		a.handed[w] |= 1 << (row % 64)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("handed-over leads: %w", err)
	}
	return nil
}
