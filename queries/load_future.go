package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"time"
)

//go:embed load_first_future.sql
var firstFutureSQL string

// clockSkew is how far past the moment of a load a timestamp may lie before
// the load refuses it: a CRM cannot export the future, but its clock, the
// export's time zone handling or the loading machine's clock may be off by
// some hours. Timestamps within a day of the load are accepted.
const clockSkew = 24 * time.Hour

// futureProblem returns an InputError for the first staged row of sf whose
// timestamp is after latest, or nil when there is none. It runs only when
// the staging summary's latest timestamp is after latest.
func futureProblem(ctx context.Context, q querier, sf stagedFile, shown map[string]string, loadedAt time.Time) error {
	f := sf.file
	ts := timestampColumn(f.kind)
	var (
		rec, n int64
		at     time.Time
	)
	query := fill(firstFutureSQL, "/*TS*/", QuoteIdent(ts), "/*STAGE*/", sf.table)
	err := q.QueryRowContext(ctx, query, loadedAt.Add(clockSkew)).Scan(&rec, &at, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load %s %s: check future timestamps: %w", f.kind, f.path, err)
	}
	const layout = "2006-01-02 15:04:05 UTC"
	ie := &InputError{File: f.path, Column: shown[ts], Value: at.UTC().Format(layout), More: n - 1,
		Problem: fmt.Sprintf("%s is after the moment of the load, %s (%g day of clock skew allowed); a CRM cannot export the future",
			at.UTC().Format(layout), loadedAt.UTC().Format(layout), clockSkew.Hours()/24)}
	ie.Line, ie.Record = recordPosition(ctx, q, f, rec)
	return ie
}
