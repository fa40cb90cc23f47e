package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"time"
)

//go:embed funnel_data_start.sql
var funnelDataStartSQL string

// DataStart returns the earliest lead creation; ok is false when there is
// no lead.
func (f *FunnelSession) DataStart(ctx context.Context) (start time.Time, ok bool, err error) {
	var t sql.NullTime
	if err := f.conn.QueryRowContext(ctx, funnelDataStartSQL).Scan(&t); err != nil {
		return time.Time{}, false, fmt.Errorf("data start: %w", err)
	}
	return t.Time.UTC(), t.Valid, nil
}
