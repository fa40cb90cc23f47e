package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed load_rewrite_groups.sql
var rewriteGroupsSQL string

//go:embed load_rewrite_keep.sql
var rewriteKeepSQL string

//go:embed load_rewrite_keep_table.sql
var rewriteKeepTableSQL string

//go:embed load_rewrite_delete.sql
var rewriteDeleteSQL string

//go:embed load_rewrite_insert.sql
var rewriteInsertSQL string

// rewriteShare bounds the row groups dropRewriting rewrites: at most one in
// rewriteShare of the table's. Past it, deleting the copies alone is
// cheaper than writing most of the table again.
const rewriteShare = 4

// rewriteKeep is the temporary table of the rows that stay in the row
// groups dropRewriting rewrites.
const rewriteKeep = `"load_rewrite_keep"`

// rowidRange is the rowids [lo, hi) of one row group.
type rowidRange struct{ lo, hi int64 }

// dropRewriting deletes, inside tx, the copies of r and returns how many it
// deleted, leaving the table with no deleted row where it can: when the
// copies sit in at most one in rewriteShare of the table's row groups, it
// deletes those row groups whole and adds their other rows back, and
// DuckDB drops the emptied row groups at its next checkpoint (the load's
// working copy is closed, and so checkpointed, right after). A table
// holding a deleted row is scanned for max(...), which DuckDB otherwise
// reads from its statistics: with the 13 copies deleted from the 98M
// generated events, every reading of the data's end (score does it twice)
// scanned occurred_at, 0.60 s cold against 0.02.
// Scoring a workspace so written took 0.83, 0.99 and 0.96 of the wall
// time in three sets of 4 pairs, CPU 0.81–0.94, and 1.35 GB of memory
// against 1.86 (the data's end no longer read into DuckDB's buffers), with
// identical scores; the 100M Parquet load with the rewrite of the 13 row
// groups (1.6M rows) took 1.00 of the wall time (3 pairs, 80.0 s against
// 81.8); the same statements run by hand on a loaded workspace took 3.8 s.
// Otherwise it deletes the copies alone, as drop does.
func (r repeatedRows) dropRewriting(ctx context.Context, tx *sql.Tx) (int64, error) {
	defer r.dropTemp(ctx, tx)
	if err := r.mark(ctx, tx); err != nil {
		return 0, err
	}
	ranges, groups, err := r.groupsOfMarked(ctx, tx)
	if err != nil {
		return 0, err
	}
	if len(ranges) == 0 || len(ranges)*rewriteShare > groups {
		return r.deleteMarked(ctx, tx)
	}
	selects := make([]string, len(ranges))
	for i, g := range ranges {
		selects[i] = fill(rewriteKeepSQL, "/*TABLE*/", r.table, "/*ROWIDS*/", repeatedRowids,
			"/*LO*/", strconv.FormatInt(g.lo, 10), "/*HI*/", strconv.FormatInt(g.hi, 10))
	}
	defer tx.ExecContext(ctx, fill(dropTempSQL, "/*TABLE*/", rewriteKeep))
	keep := fill(rewriteKeepTableSQL, "/*KEEP*/", rewriteKeep, "/*SELECTS*/", strings.Join(selects, "UNION ALL\n"))
	if _, err := tx.ExecContext(ctx, keep); err != nil {
		return 0, fmt.Errorf("rows kept: %w", err)
	}
	var deleted int64
	for _, g := range ranges {
		n, err := execCount(ctx, tx, fill(rewriteDeleteSQL, "/*TABLE*/", r.table), g.lo, g.hi)
		if err != nil {
			return 0, fmt.Errorf("row group [%d, %d): %w", g.lo, g.hi, err)
		}
		deleted += n
	}
	added, err := execCount(ctx, tx, fill(rewriteInsertSQL, "/*TABLE*/", r.table, "/*KEEP*/", rewriteKeep))
	if err != nil {
		return 0, fmt.Errorf("rows kept: %w", err)
	}
	return deleted - added, nil
}

// groupsOfMarked returns the rowid ranges of the row groups of r's table
// holding a copy marked by mark, and how many row groups the table has.
func (r repeatedRows) groupsOfMarked(ctx context.Context, tx *sql.Tx) ([]rowidRange, int, error) {
	rows, err := tx.QueryContext(ctx, fill(rewriteGroupsSQL, "/*TABLE_NAME*/", quoteLiteral(r.name), "/*ROWIDS*/", repeatedRowids))
	if err != nil {
		return nil, 0, fmt.Errorf("row groups: %w", err)
	}
	defer rows.Close()
	var out []rowidRange
	groups := 0
	for rows.Next() {
		var g rowidRange
		if err := rows.Scan(&g.lo, &g.hi, &groups); err != nil {
			return nil, 0, fmt.Errorf("row groups: %w", err)
		}
		out = append(out, g)
	}
	return out, groups, rows.Err()
}
