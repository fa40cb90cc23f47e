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

//go:embed load_leads_insert_attrs_direct.sql
var leadsInsertAttrsDirectSQL string

//go:embed load_drop_repeated_direct.sql
var dropRepeatedDirectSQL string

//go:embed load_repeated_rowids_direct.sql
var repeatedRowidsDirectSQL string

//go:embed load_repeated_list.sql
var repeatedListSQL string

// errNotDirect says that a file inserted in one pass (writeDirect) has
// something only the staged path handles: a problem to report by line, a
// timestamp in the future, or (for leads) a lead_id repeated within the
// file. Rows of an events or stages file repeated within it are dropped in
// place instead (load_drop_repeated_direct.sql), as the staged path would:
// at 100M generated events 13 repeated rows used to load everything twice.
var errNotDirect = errors.New("the file needs the staged path")

// directTable is the stored table a file of kind k is inserted into in
// one pass when that table is empty, or "" for kinds always staged
// (outcomes are few).
func directTable(k Kind) string {
	switch k {
	case KindLeads:
		return "leads"
	case KindEvents:
		return "events"
	case KindStages:
		return "stages"
	}
	return ""
}

// directColumns are the quoted columns of kind k's direct table in table
// order: the natural key for events and stages.
func directColumns(k Kind) string {
	if k == KindLeads {
		return `"lead_id", "created_at", "channel"`
	}
	return keyColumns(k)
}

// takesDirect reports whether file f is checked and inserted in one pass:
// its kind has a direct table and that table holds no row yet (for leads:
// no lead and no attribute is stored, and the file carries no outcome
// column, which the staged path stores as outcomes).
func takesDirect(ctx context.Context, q querier, f inputFile, spec columnSpec) (bool, error) {
	table := directTable(f.kind)
	if table == "" || (f.kind == KindLeads && spec.outcome.Column != "") {
		return false, nil
	}
	query := fill(tableEmptySQL, "/*TABLE*/", QuoteIdent(table))
	if f.kind == KindLeads {
		query = leadsFirstSQL
	}
	var empty bool
	if err := q.QueryRowContext(ctx, query).Scan(&empty); err != nil {
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
	if f.format == formatCSV {
		dropTables(ctx, q, "load_rejects", "load_reject_scans")
	}
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
	if f.format == formatCSV {
		// The reader records this file's rejected rows afresh (another
		// file's view shares the tables' names).
		for _, t := range []string{"load_rejects", "load_reject_scans"} {
			if _, err := tx.ExecContext(ctx, fill(dropTempSQL, "/*TABLE*/", QuoteIdent(t))); err != nil {
				return fr, err
			}
		}
	}
	n, err := execCount(ctx, tx, fill(insertDirectSQL, "/*TABLE*/", table, "/*COLUMNS*/", directColumns(f.kind), "/*STAGE*/", sf.table))
	if err != nil {
		return fr, fmt.Errorf("%w: %w", errNotDirect, err)
	}
	if sf.attrs {
		if _, err := tx.ExecContext(ctx, fill(leadsInsertAttrsDirectSQL, "/*STAGE*/", sf.table)); err != nil {
			return fr, fmt.Errorf("%w: %w", errNotDirect, err)
		}
	}
	if f.format == formatCSV {
		if err := csvRejects(ctx, tx, f); err != nil {
			return fr, fmt.Errorf("%w: %w", errNotDirect, err)
		}
	}
	var hi sql.NullTime
	q := fill(tableSummarySQL, "/*TABLE*/", table, "/*TS*/", QuoteIdent(timestampColumn(f.kind)))
	if err := tx.QueryRowContext(ctx, q).Scan(&hi); err != nil {
		return fr, err
	}
	if hi.Valid && hi.Time.After(loadedAt.Add(clockSkew)) {
		return fr, fmt.Errorf("%w: a timestamp lies in the future", errNotDirect)
	}
	repeats, err := keyHashesRepeat(ctx, conn, f.kind, table, n)
	if err != nil {
		return fr, fmt.Errorf("duplicates: %w", err)
	}
	var dropped int64
	if len(repeats) > 0 {
		if f.kind == KindLeads {
			// The staged path keeps a repeated lead's last row.
			return fr, fmt.Errorf("%w: a lead_id repeated within the file", errNotDirect)
		}
		if dropped, err = dropRepeatedRows(ctx, tx, table, keyColumns(f.kind), repeats); err != nil {
			return fr, fmt.Errorf("duplicates: %w", err)
		}
	}
	fr.Rows, fr.Added, fr.Duplicates = n, n-dropped, dropped
	if f.kind == KindLeads {
		return fr, nil
	}
	if err := tx.QueryRowContext(ctx, fill(orphansSQL, "/*STAGE*/", table)).Scan(&fr.Orphans); err != nil {
		return fr, fmt.Errorf("orphans: %w", err)
	}
	return fr, nil
}

// dropRepeatedRows deletes, inside tx, every copy but the first of the rows
// of table whose key (the quoted columns key) hashes to one of repeats, and
// returns how many it deleted. The hashes, then the rowids of the copies,
// are temporary tables the statements join with (load_repeated_list.sql
// says why).
func dropRepeatedRows(ctx context.Context, tx *sql.Tx, table, key string, repeats []uint64) (int64, error) {
	const hashes, rowids = `"load_repeated_hashes"`, `"load_repeated_rowids"`
	defer func() {
		for _, t := range []string{hashes, rowids} {
			tx.ExecContext(ctx, fill(dropTempSQL, "/*TABLE*/", t)) // a failed transaction is rolled back anyway
		}
	}()
	if _, err := tx.ExecContext(ctx, fill(repeatedListSQL, "/*TABLE*/", hashes), repeats); err != nil {
		return 0, err
	}
	q := fill(repeatedRowidsDirectSQL, "/*ROWIDS*/", rowids, "/*TABLE*/", table, "/*KEY*/", key, "/*HASHES*/", hashes)
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return 0, err
	}
	return execCount(ctx, tx, fill(dropRepeatedDirectSQL, "/*TABLE*/", table, "/*ROWIDS*/", rowids))
}
