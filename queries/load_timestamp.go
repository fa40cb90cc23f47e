package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"time"
)

//go:embed load_parse_timestamp.sql
var parseTimestampSQL string

// ParseTimestamp parses text the way Load parses a timestamp column and
// returns the instant in UTC, or ok = false when the loader would refuse it.
// Accepted: YYYY-MM-DD; YYYY-MM-DD HH:MM; YYYY-MM-DD HH:MM:SS with optional
// fraction (to microseconds; further digits are truncated) and optional
// offset Z, ±HH, ±HHMM or ±HH:MM; 'T' or a space between date and time.
// Values without an offset are taken as UTC.
func (s *Store) ParseTimestamp(ctx context.Context, text string) (t time.Time, ok bool, err error) {
	var v sql.NullTime
	if err := s.db.QueryRowContext(ctx, parseTimestampSQL, text).Scan(&v); err != nil {
		return time.Time{}, false, fmt.Errorf("parse timestamp %q: %w", text, err)
	}
	return v.Time.UTC(), v.Valid, nil
}
