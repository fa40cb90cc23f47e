package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"time"
)

//go:embed load_table_empty.sql
var tableEmptySQL string

//go:embed load_insert_direct.sql
var insertDirectSQL string

//go:embed load_table_summary.sql
var tableSummarySQL string

//go:embed load_read_csv_strict.sql
var readCSVStrictSQL string

// errNotDirect says that a file inserted in one pass (writeDirect) has
// something only the staged path handles: a problem to report by line, a
// timestamp in the future, or rows repeated within the file.
var errNotDirect = errors.New("the file needs the staged path")

// directTable is the stored table a file of kind k is inserted into in
// one pass when that table is empty, or "" for kinds always staged: leads
// are compared with stored attributes, outcomes are few.
func directTable(k Kind) string {
	switch k {
	case KindEvents:
		return "events"
	case KindStages:
		return "stages"
	}
	return ""
}

// takesDirect reports whether file f is checked and inserted in one pass:
// its kind has a direct table and that table holds no row yet.
func takesDirect(ctx context.Context, q querier, f inputFile) (bool, error) {
	table := directTable(f.kind)
	if table == "" {
		return false, nil
	}
	var empty bool
	if err := q.QueryRowContext(ctx, fill(tableEmptySQL, "/*TABLE*/", QuoteIdent(table))).Scan(&empty); err != nil {
		return false, fmt.Errorf("load %s %s: %w", f.kind, f.path, err)
	}
	return empty, nil
}

// stageView makes f's staging relation a view that reads the file, for
// writeDirect; it reads no row.
func stageView(ctx context.Context, q querier, f inputFile, spec columnSpec) (stagedFile, error) {
	sf, stage, _, err := prepareStage(ctx, q, f, spec, true)
	if err != nil {
		return sf, err
	}
	sf.direct = true
	if _, err := q.ExecContext(ctx, stage); err != nil {
		return sf, readerError(f, err)
	}
	return sf, nil
}

// writeDirect checks and inserts the rows of a file staged by stageView
// into its empty stored table inside tx, which is open on conn, in one
// pass over the file. When the file has anything the staged path must
// handle (see errNotDirect), or the insert fails, it returns an error
// wrapping errNotDirect; the caller then rolls back and loads again
// through the staged path.
func writeDirect(ctx context.Context, conn *sql.Conn, tx *sql.Tx, sf stagedFile, loadedAt time.Time) (FileResult, error) {
	f := sf.file
	fr := FileResult{Kind: f.kind, File: f.path, SHA256: f.sha256}
	table := QuoteIdent(directTable(f.kind))
	n, err := execCount(ctx, tx, fill(insertDirectSQL, "/*TABLE*/", table, "/*COLUMNS*/", keyColumns(f.kind), "/*STAGE*/", sf.table))
	if err != nil {
		return fr, fmt.Errorf("%w: %w", errNotDirect, err)
	}
	var hi sql.NullTime
	q := fill(tableSummarySQL, "/*TABLE*/", table, "/*TS*/", QuoteIdent(timestampColumn(f.kind)))
	if err := tx.QueryRowContext(ctx, q).Scan(&hi); err != nil {
		return fr, err
	}
	if hi.Valid && hi.Time.After(loadedAt.Add(clockSkew)) {
		return fr, fmt.Errorf("%w: a timestamp lies in the future", errNotDirect)
	}
	repeated, err := keyHashesRepeat(ctx, conn, f.kind, table, n)
	if err != nil {
		return fr, fmt.Errorf("duplicates: %w", err)
	}
	if repeated {
		return fr, fmt.Errorf("%w: rows repeated within the file", errNotDirect)
	}
	fr.Rows, fr.Added = n, n
	if err := tx.QueryRowContext(ctx, fill(orphansSQL, "/*STAGE*/", table)).Scan(&fr.Orphans); err != nil {
		return fr, fmt.Errorf("orphans: %w", err)
	}
	return fr, nil
}
