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

//go:embed load_drop_repeated_direct.sql
var dropRepeatedDirectSQL string

//go:embed load_repeated_rowids_direct.sql
var repeatedRowidsDirectSQL string

//go:embed load_repeated_list.sql
var repeatedListSQL string

//go:embed load_count_repeated.sql
var countRepeatedSQL string

//go:embed load_insertion_order_off.sql
var insertionOrderOffSQL string

//go:embed load_insertion_order_reset.sql
var insertionOrderResetSQL string

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

// directColumns are the quoted contract columns of kind k's direct table
// (for leads, its attribute columns follow: see attributeSelect): the
// natural key for events and stages.
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
		if isCanceled(ctx, err) {
			return sf, err
		}
		return sf, csvLineEnds(f, readerError(f, err))
	}
	return sf, nil
}

// writeDirect checks and inserts the rows of a file staged by stageView
// into its empty stored table inside tx, which is open on conn, in one
// pass over the file. When the file has anything the staged path must
// handle (see errNotDirect), or the insert fails, it returns an error
// wrapping errNotDirect; the caller then rolls back and loads again
// through the staged path. Rows of the file repeated within it are dropped
// in tx or, with dropLater, counted in tx and returned for the caller to
// drop after the commit (see writeFiles). db is the store's pool, conn one
// of its connections.
func writeDirect(ctx context.Context, db *sql.DB, conn *sql.Conn, tx *sql.Tx, sf stagedFile, loadedAt time.Time, dropLater bool) (FileResult, *repeatedRows, error) {
	f := sf.file
	fr := FileResult{Kind: f.kind, File: f.path}
	table := QuoteIdent(directTable(f.kind))
	if f.format == formatCSV {
		// The reader records this file's rejected rows afresh (another
		// file's view shares the tables' names).
		for _, t := range []string{"load_rejects", "load_reject_scans"} {
			if _, err := tx.ExecContext(ctx, fill(dropTempSQL, "/*TABLE*/", QuoteIdent(t))); err != nil {
				return fr, nil, err
			}
		}
	}
	columns := directColumns(f.kind)
	if f.kind == KindLeads {
		if err := addAttributeColumns(ctx, tx, sf.attrs); err != nil {
			return fr, nil, err
		}
		columns += attributeSelect("", sf.attrs)
	}
	insert := fill(insertDirectSQL, "/*TABLE*/", table, "/*COLUMNS*/", columns, "/*STAGE*/", sf.table)
	var n int64
	var err error
	if f.kind == KindLeads {
		// Leads keep file order: scoring merges their stored runs by
		// created_at (features_snapshot_order.go).
		n, err = execCount(ctx, tx, insert)
	} else {
		n, err = insertInFullRowGroups(ctx, db, tx, insert)
	}
	if err != nil {
		return fr, nil, fmt.Errorf("%w: %w", errNotDirect, err)
	}
	if f.format == formatCSV {
		if err := csvRejects(ctx, tx, f); err != nil {
			return fr, nil, fmt.Errorf("%w: %w", errNotDirect, err)
		}
	}
	var hi sql.NullTime
	q := fill(tableSummarySQL, "/*TABLE*/", table, "/*TS*/", QuoteIdent(timestampColumn(f.kind)))
	if err := tx.QueryRowContext(ctx, q).Scan(&hi); err != nil {
		return fr, nil, err
	}
	if hi.Valid && hi.Time.After(loadedAt.Add(clockSkew)) {
		return fr, nil, fmt.Errorf("%w: a timestamp lies in the future", errNotDirect)
	}
	repeats, err := keyHashesRepeat(ctx, conn, f.kind, table, n)
	if err != nil {
		return fr, nil, fmt.Errorf("duplicates: %w", err)
	}
	if f.kind != KindLeads {
		// Counted over the file's rows, copies included, as the staged
		// path counts them.
		if err := tx.QueryRowContext(ctx, fill(orphansSQL, "/*STAGE*/", table)).Scan(&fr.Orphans); err != nil {
			return fr, nil, fmt.Errorf("orphans: %w", err)
		}
	}
	var dropped int64
	var later *repeatedRows
	if len(repeats) > 0 {
		if f.kind == KindLeads {
			// The staged path keeps a repeated lead's last row.
			return fr, nil, fmt.Errorf("%w: a lead_id repeated within the file", errNotDirect)
		}
		rep := repeatedRows{name: directTable(f.kind), table: table, key: keyColumns(f.kind), hashes: repeats}
		if dropLater {
			dropped, err = rep.count(ctx, tx)
			rep.copies, later = dropped, &rep
		} else {
			dropped, err = rep.drop(ctx, tx)
		}
		if err != nil {
			return fr, nil, fmt.Errorf("duplicates: %w", err)
		}
	}
	fr.Rows, fr.Added, fr.Duplicates = n, n-dropped, dropped
	return fr, later, nil
}

// insertInFullRowGroups runs insert, an events or stages file's one-pass
// insert, inside tx with DuckDB's insertion order off, and returns how many
// rows it added. In file order DuckDB writes each batch it reads (for
// Parquet, one of the file's row groups) into row groups of its own: the
// 100M generated events, in Parquet row groups of 122,880 to 123,621 rows,
// were stored in 1,282 row groups, 487 of them of a few hundred rows, with
// 2,864 occurred_at segments and 1.49 GB of workspace. Without the order
// each thread fills its own row groups: 800 row groups (2 not full), 2,400
// segments, 1.40 GB; scoring them took 0.95 of the wall time (4 pairs)
// with identical scores, and the load 75 s against 84 s (one run each).
// Nothing relies on the order the events are stored in: queries group or
// order what they read, and scoring finds an event's lead wherever the
// event lies (calibrate's action_totals.go). The setting is the whole
// database's, so it is set and put back through db, outside tx, which a
// failed insert aborts.
func insertInFullRowGroups(ctx context.Context, db *sql.DB, tx *sql.Tx, insert string) (n int64, err error) {
	if _, err := db.ExecContext(ctx, insertionOrderOffSQL); err != nil {
		return 0, fmt.Errorf("insertion order: %w", err)
	}
	defer func() {
		if _, rerr := db.ExecContext(context.WithoutCancel(ctx), insertionOrderResetSQL); rerr != nil {
			err = errors.Join(err, fmt.Errorf("insertion order back: %w", rerr))
		}
	}()
	return execCount(ctx, tx, insert)
}

// repeatedRows are the rows of a file inserted in one pass that repeat an
// earlier row of it: in table (quoted), every copy but the first of the
// rows whose key (the quoted key columns) hashes to one of hashes. The
// hashes, then the rowids of the copies, are temporary tables the
// statements join with (load_repeated_list.sql says why).
type repeatedRows struct {
	// name is the table's name, table the same quoted.
	name, table, key string
	hashes           []uint64
	// copies is how many the load counted; result indexes its FileResult.
	copies int64
	result int
}

const repeatedHashes, repeatedRowids = `"load_repeated_hashes"`, `"load_repeated_rowids"`

// count returns, inside tx, how many copies r has.
func (r repeatedRows) count(ctx context.Context, tx *sql.Tx) (int64, error) {
	defer r.dropTemp(ctx, tx)
	if err := r.mark(ctx, tx); err != nil {
		return 0, err
	}
	var n int64
	err := tx.QueryRowContext(ctx, fill(countRepeatedSQL, "/*ROWIDS*/", repeatedRowids)).Scan(&n)
	return n, err
}

// drop deletes, inside tx, the copies of r and returns how many it deleted.
func (r repeatedRows) drop(ctx context.Context, tx *sql.Tx) (int64, error) {
	defer r.dropTemp(ctx, tx)
	if err := r.mark(ctx, tx); err != nil {
		return 0, err
	}
	return r.deleteMarked(ctx, tx)
}

// deleteMarked deletes, inside tx, the copies mark marked.
func (r repeatedRows) deleteMarked(ctx context.Context, tx *sql.Tx) (int64, error) {
	return execCount(ctx, tx, fill(dropRepeatedDirectSQL, "/*TABLE*/", r.table, "/*ROWIDS*/", repeatedRowids))
}

// mark fills the temporary tables of r's hashes and of its copies' rowids.
func (r repeatedRows) mark(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, fill(repeatedListSQL, "/*TABLE*/", repeatedHashes), r.hashes); err != nil {
		return err
	}
	q := fill(repeatedRowidsDirectSQL, "/*ROWIDS*/", repeatedRowids, "/*TABLE*/", r.table, "/*KEY*/", r.key, "/*HASHES*/", repeatedHashes)
	_, err := tx.ExecContext(ctx, q)
	return err
}

// dropTemp drops mark's temporary tables; a failed transaction is rolled
// back anyway.
func (r repeatedRows) dropTemp(ctx context.Context, tx *sql.Tx) {
	for _, t := range []string{repeatedHashes, repeatedRowids} {
		tx.ExecContext(ctx, fill(dropTempSQL, "/*TABLE*/", t))
	}
}

// dropRepeatedAfterCommit deletes, in one transaction on conn, the copies
// the load counted in each of later (results are the load's file results,
// for errors), rewriting their row groups where that leaves the table with
// no deleted row (dropRewriting), and fails unless it deletes exactly as
// many.
func dropRepeatedAfterCommit(ctx context.Context, conn *sql.Conn, later []repeatedRows, results []FileResult) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("load: begin: %w", err)
	}
	defer tx.Rollback() // no-op after Commit
	for _, r := range later {
		fr := results[r.result]
		n, err := r.dropRewriting(ctx, tx)
		if err == nil && n != r.copies {
			err = fmt.Errorf("%d repeated rows found after the commit, %d before", n, r.copies)
		}
		if err != nil {
			return fmt.Errorf("load %s %s: duplicates: %w", fr.Kind, fr.Path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("load: commit: %w", err)
	}
	return nil
}
