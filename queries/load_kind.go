package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"
)

//go:embed load_stage_leads.sql
var stageLeadsSQL string

//go:embed load_stage_events.sql
var stageEventsSQL string

//go:embed load_stage_stages.sql
var stageStagesSQL string

//go:embed load_stage_outcomes.sql
var stageOutcomesSQL string

//go:embed load_first_problem.sql
var firstProblemSQL string

//go:embed load_stage_summary.sql
var stageSummarySQL string

//go:embed load_insert_events.sql
var insertEventsSQL string

//go:embed load_insert_stages.sql
var insertStagesSQL string

//go:embed load_insert_outcomes.sql
var insertOutcomesSQL string

//go:embed load_overlap.sql
var overlapSQL string

//go:embed load_repeated_keys.sql
var repeatedKeysSQL string

//go:embed load_insert_plain.sql
var insertPlainSQL string

//go:embed load_read_parquet_numbered.sql
var readParquetNumberedSQL string

//go:embed load_insert_dedupe.sql
var insertDedupeSQL string

//go:embed load_orphans.sql
var orphansSQL string

//go:embed load_leads_latest.sql
var leadsLatestSQL string

//go:embed load_leads_attrs.sql
var leadsAttrsSQL string

//go:embed load_leads_attrs_none.sql
var leadsAttrsNoneSQL string

//go:embed load_leads_write.sql
var leadsWriteSQL string

//go:embed load_leads_update.sql
var leadsUpdateSQL string

//go:embed load_leads_insert.sql
var leadsInsertSQL string

//go:embed load_leads_first.sql
var leadsFirstSQL string

//go:embed load_leads_insert_all.sql
var leadsInsertAllSQL string

//go:embed load_leads_counts.sql
var leadsCountsSQL string

//go:embed load_leads_keep_dates.sql
var leadsKeepDatesSQL string

//go:embed load_leads_outcomes_delete.sql
var leadsOutcomesDeleteSQL string

//go:embed load_leads_outcomes_insert.sql
var leadsOutcomesInsertSQL string

//go:embed load_csv_rejects.sql
var csvRejectsSQL string

//go:embed load_sniff_csv.sql
var sniffCSVSQL string

// stageSQL is the staging statement template of kind k.
func stageSQL(k Kind) string {
	switch k {
	case KindLeads:
		return stageLeadsSQL
	case KindEvents:
		return stageEventsSQL
	case KindStages:
		return stageStagesSQL
	}
	return stageOutcomesSQL
}

// stagedFile is a file read into its staging relation and found clean,
// or, when direct, a file whose staging relation is a view that the
// transaction checks as it inserts it (see writeDirect).
type stagedFile struct {
	file   inputFile
	table  string // quoted name of the staging relation
	rows   int64
	lo, hi sql.NullTime // earliest and latest timestamp
	// attrs are a leads file's attribute columns, as its staging
	// relation names them.
	attrs  []string
	direct bool // checked and inserted in one pass by writeDirect
	// outcome is true for a leads file with an outcome column.
	outcome bool
	// undatedFile is true for a leads file without a created_at column
	// (nor a mapping's constant for it).
	undatedFile bool
}

// readInPlace reports whether file f is staged as a view that reads it
// where it is rather than as a table copied from it: Parquet is cheap to
// read again, and a copy of a large file is most of a load's work. Leads
// files are copied, since their attribute columns could collide with the
// record number the view adds. The insert reads the file again: a file
// replaced while it is being loaded would be inserted as it is then,
// unchecked, while the load log keeps the SHA-256 taken when the load began.
func readInPlace(f inputFile) bool {
	return f.format == formatParquet && f.kind != KindLeads
}

// stageStatement is the statement that fills f's staging relation from
// the file: a view when view is true or the file is read in place (see
// readInPlace), else a table.
func stageStatement(f inputFile, table, selectList string, view bool) string {
	if readInPlace(f) {
		src := fill(readParquetNumberedSQL, "/*PATH*/", quoteLiteral(f.path))
		src = strings.TrimRight(strings.TrimSpace(src), ";")
		return fill(stageSQL(f.kind), "/*SOURCE*/", src, "/*RELATION*/", "VIEW", "/*STAGE*/", table,
			"/*COLUMNS*/", "file_row_number AS rowid,\n    "+selectList)
	}
	relation := "TABLE"
	if view {
		relation = "VIEW"
	}
	return fill(withSource(stageSQL(f.kind), f), "/*RELATION*/", relation, "/*COLUMNS*/", selectList, "/*STAGE*/", table)
}

// stageFile reads file f into its staging relation and returns an
// InputError for its first problem, including a timestamp more than
// clockSkew after loadedAt, the moment of the load. spec maps the file's
// columns to the contract's.
func stageFile(ctx context.Context, q querier, f inputFile, spec columnSpec, loadedAt time.Time) (stagedFile, error) {
	sf, stage, shown, err := prepareStage(ctx, q, f, spec, false)
	if err != nil {
		return sf, err
	}
	if f.format == formatCSV {
		dropTables(ctx, q, "load_rejects", "load_reject_scans")
	}
	if _, err := q.ExecContext(ctx, stage); err != nil {
		if isCanceled(ctx, err) {
			return sf, err
		}
		return sf, csvLineEnds(f, readerError(f, err))
	}
	if f.format == formatCSV {
		if err := csvRejects(ctx, q, f); err != nil {
			return sf, err
		}
	}
	var problems int64
	summary := fill(stageSummarySQL, "/*TS*/", QuoteIdent(timestampColumn(f.kind)), "/*STAGE*/", sf.table)
	if err := q.QueryRowContext(ctx, summary).Scan(&sf.rows, &sf.lo, &sf.hi, &problems); err != nil {
		if isCanceled(ctx, err) {
			return sf, err
		}
		if readInPlace(f) {
			return sf, readerError(f, err)
		}
		return sf, fmt.Errorf("load %s %s: %w", f.kind, f.path, err)
	}
	if problems > 0 {
		if err := firstProblem(ctx, q, sf, shown); err != nil {
			return sf, err
		}
	}
	if sf.hi.Valid && sf.hi.Time.After(loadedAt.Add(clockSkew)) {
		if err := futureProblem(ctx, q, sf, shown, loadedAt); err != nil {
			return sf, err
		}
	}
	return sf, nil
}

// prepareStage checks what can be checked of file f without reading its
// rows (a quote left open, its columns) and returns its stagedFile, the
// statement that makes its staging relation (a view when view is true),
// and how the file names each contract column.
func prepareStage(ctx context.Context, q querier, f inputFile, spec columnSpec, view bool) (stagedFile, string, map[string]string, error) {
	if f.format == formatCSV {
		// Sniffed once: every statement below that reads the file takes
		// the dialect found (csvDialect.readOptions), and the checks use
		// it. A file the sniffer fails on keeps the zero dialect; its
		// reader then reports the error.
		f.dialect, _ = sniffCSV(ctx, q, f)
	}
	sf := stagedFile{file: f, table: QuoteIdent(stageTable(f.kind, f.seq))}
	if f.oddQuotes {
		if err := openQuote(f, f.dialect); err != nil {
			return sf, "", nil, err
		}
	}
	cols, err := fileColumns(ctx, q, f)
	if err != nil {
		if isCanceled(ctx, err) {
			return sf, "", nil, err
		}
		return sf, "", nil, csvLineEnds(f, err)
	}
	if f.format == formatJSON && len(cols) == 1 && cols[0].name == "json" && cols[0].dbType == "JSON" {
		return sf, "", nil, &InputError{File: f.path, Problem: "has no records"}
	}
	selectList, shown, attrs, err := columnsFor(f, cols, spec)
	if err != nil {
		return sf, "", nil, err
	}
	sf.outcome = f.kind == KindLeads && spec.outcome.Column != ""
	sf.undatedFile = f.kind == KindLeads && !givesColumn(cols, spec, "created_at")
	sf.attrs = attrs
	return sf, stageStatement(f, sf.table, selectList, view), shown, nil
}

// csvLineEnds replaces err, an error of DuckDB's reader that names no line,
// by the line where a CSV file's line endings change, if they do.
func csvLineEnds(f inputFile, err error) error {
	var ie *InputError
	if f.format != formatCSV || (errors.As(err, &ie) && ie.Line > 0) {
		return err
	}
	if le := lineEndProblem(f); le != nil {
		return le
	}
	return err
}

// repeatedKeys fills load_repeated_keys with the natural-key hashes that
// more than one of sf's rows has and returns how many there are.
func repeatedKeys(ctx context.Context, q querier, sf stagedFile) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, fill(repeatedKeysSQL, "/*KEY*/", keyColumns(sf.file.kind), "/*STAGE*/", sf.table)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("load %s %s: duplicates: %w", sf.file.kind, sf.file.path, err)
	}
	return n, nil
}

// writeFile adds a staged file's new rows inside tx.
func writeFile(ctx context.Context, tx *sql.Tx, sf stagedFile) (FileResult, error) {
	f := sf.file
	fr := FileResult{Kind: f.kind, File: f.path, Rows: sf.rows}
	st := func(q string) string { return fill(q, "/*STAGE*/", sf.table) }
	var err error
	switch f.kind {
	case KindLeads:
		err = writeLeads(ctx, tx, &fr, sf)
	case KindEvents:
		fr.Added, err = insertNew(ctx, tx, sf, "events", st(insertEventsSQL))
	case KindStages:
		fr.Added, err = insertNew(ctx, tx, sf, "stages", st(insertStagesSQL))
	case KindOutcomes:
		fr.Added, err = execCount(ctx, tx, st(insertOutcomesSQL))
	}
	if err != nil {
		return fr, err
	}
	fr.Duplicates = fr.Rows - fr.Added - fr.Updated
	if f.kind != KindLeads {
		if err := tx.QueryRowContext(ctx, st(orphansSQL)).Scan(&fr.Orphans); err != nil {
			return fr, fmt.Errorf("orphans: %w", err)
		}
	}
	return fr, nil
}

// dropTables drops temporary tables or views by name, ignoring errors.
func dropTables(ctx context.Context, q querier, names ...string) {
	for _, t := range names {
		for _, drop := range []string{dropTempSQL, dropTempViewSQL} {
			q.ExecContext(ctx, fill(drop, "/*TABLE*/", QuoteIdent(t)))
		}
	}
}

// insertNew adds a staged file's rows to table (events or stages) that are
// not stored yet. When the table holds a row in the file's time range, with
// compare, which skips stored rows; else, when no two staged rows are equal,
// with a plain copy; else dropping duplicates within the file.
func insertNew(ctx context.Context, tx *sql.Tx, sf stagedFile, table, compare string) (int64, error) {
	if sf.rows == 0 {
		return 0, nil
	}
	var overlap bool
	q := fill(overlapSQL, "/*TABLE*/", QuoteIdent(table), "/*TS*/", QuoteIdent(timestampColumn(sf.file.kind)))
	if err := tx.QueryRowContext(ctx, q, sf.lo.Time, sf.hi.Time).Scan(&overlap); err != nil {
		return 0, err
	}
	if overlap {
		return execCount(ctx, tx, compare, sf.lo.Time, sf.hi.Time)
	}
	repeated, err := repeatedKeys(ctx, tx, sf)
	if err != nil {
		return 0, err
	}
	insert := insertPlainSQL
	if repeated > 0 {
		insert = insertDedupeSQL
	}
	return execCount(ctx, tx, fill(insert, "/*TABLE*/", QuoteIdent(table), "/*COLUMNS*/", keyColumns(sf.file.kind), "/*STAGE*/", sf.table))
}

// keyColumns is the quoted, comma-separated natural key of kind k.
func keyColumns(k Kind) string {
	var cols []string
	for _, c := range naturalKey(k) {
		cols = append(cols, QuoteIdent(c))
	}
	return strings.Join(cols, ", ")
}

// execCount runs an INSERT and returns the number of rows it added.
func execCount(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	r, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

// writeLeads adds new leads and updates changed ones with their attributes.
func writeLeads(ctx context.Context, tx *sql.Tx, fr *FileResult, sf stagedFile) error {
	if _, err := tx.ExecContext(ctx, fill(leadsLatestSQL, "/*STAGE*/", sf.table)); err != nil {
		return err
	}
	if err := addAttributeColumns(ctx, tx, sf.attrs); err != nil {
		return err
	}
	var first bool
	if err := tx.QueryRowContext(ctx, leadsFirstSQL).Scan(&first); err != nil {
		return err
	}
	if first && !sf.outcome && !sf.undatedFile {
		return writeFirstLeads(ctx, tx, fr, sf.attrs)
	}
	attrSQL := leadsAttrsNoneSQL
	if len(sf.attrs) > 0 {
		attrSQL = leadsAttrsSQL
	}
	steps := []string{attrSQL, leadsWriteSQL}
	if sf.undatedFile {
		steps = []string{leadsKeepDatesSQL, attrSQL, leadsWriteSQL}
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, fill(q, "/*STAGE*/", sf.table)); err != nil {
			return err
		}
	}
	if err := tx.QueryRowContext(ctx, leadsCountsSQL).Scan(&fr.Added, &fr.Updated); err != nil {
		return err
	}
	for _, q := range []string{
		fill(leadsUpdateSQL, "/*SET*/", attributeSet(sf.attrs)),
		fill(leadsInsertSQL, "/*ATTRS*/", attributeSelect("n.", sf.attrs)),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if !sf.outcome {
		return nil
	}
	if _, err := tx.ExecContext(ctx, leadsOutcomesDeleteSQL); err != nil {
		return fmt.Errorf("outcome column: %w", err)
	}
	var err error
	if fr.Outcomes, err = execCount(ctx, tx, leadsOutcomesInsertSQL); err != nil {
		return fmt.Errorf("outcome column: %w", err)
	}
	return nil
}

// writeFirstLeads writes every lead of load_leads with its attributes
// (attrs, the file's attribute columns) into a workspace that holds no
// leads yet: all are new, so nothing is compared with stored rows.
func writeFirstLeads(ctx context.Context, tx *sql.Tx, fr *FileResult, attrs []string) error {
	var err error
	fr.Added, err = execCount(ctx, tx, fill(leadsInsertAllSQL, "/*ATTRS*/", attributeSelect("n.", attrs)))
	return err
}
