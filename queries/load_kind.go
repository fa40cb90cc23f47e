package queries

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
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

//go:embed load_insert_events_new.sql
var insertEventsNewSQL string

//go:embed load_insert_stages_new.sql
var insertStagesNewSQL string

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

//go:embed load_leads_delete.sql
var leadsDeleteSQL string

//go:embed load_leads_delete_attrs.sql
var leadsDeleteAttrsSQL string

//go:embed load_leads_insert.sql
var leadsInsertSQL string

//go:embed load_leads_insert_attrs.sql
var leadsInsertAttrsSQL string

//go:embed load_leads_counts.sql
var leadsCountsSQL string

//go:embed load_csv_rejects.sql
var csvRejectsSQL string

//go:embed load_sniff_csv.sql
var sniffCSVSQL string

// valueType is how a contract column's values are parsed.
type valueType int

const (
	typeText      valueType = iota + 1 // trimmed, empty → NULL
	typeTimestamp                      // funnel_ts
	typeNumber                         // funnel_num
	typeOutcome                        // text, checked to be won or lost
)

// contractColumn is a column of the input contract.
type contractColumn struct {
	name     string
	typ      valueType
	required bool
}

// contractColumns lists a kind's columns, required first.
func contractColumns(k Kind) []contractColumn {
	switch k {
	case KindLeads:
		return []contractColumn{{"lead_id", typeText, true}, {"created_at", typeTimestamp, true}, {"channel", typeText, true}}
	case KindEvents:
		return []contractColumn{{"lead_id", typeText, true}, {"occurred_at", typeTimestamp, true}, {"action", typeText, true}, {"value", typeNumber, false}}
	case KindStages:
		return []contractColumn{{"lead_id", typeText, true}, {"stage", typeText, true}, {"entered_at", typeTimestamp, true}}
	case KindOutcomes:
		return []contractColumn{{"lead_id", typeText, true}, {"closed_at", typeTimestamp, true}, {"outcome", typeOutcome, true}, {"amount", typeNumber, false}}
	}
	return nil
}

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

// timestampColumn is the name of kind k's timestamp column.
func timestampColumn(k Kind) string {
	for _, c := range contractColumns(k) {
		if c.typ == typeTimestamp {
			return c.name
		}
	}
	return ""
}

// stagedFile is a file read into its staging table and found clean.
type stagedFile struct {
	file   inputFile
	table  string // quoted name of the staging table
	rows   int64
	lo, hi sql.NullTime // earliest and latest timestamp
	attrs  bool         // a leads file with attribute columns
	// distinct is the number of distinct hashes of the rows' natural key;
	// equal to rows when no two rows are equal.
	distinct int64
}

// naturalKey lists the columns that identify a row of kind k.
func naturalKey(k Kind) []string {
	switch k {
	case KindEvents:
		return []string{"lead_id", "occurred_at", "action", "value"}
	case KindStages:
		return []string{"lead_id", "stage", "entered_at"}
	case KindOutcomes:
		return []string{"lead_id", "closed_at", "outcome"}
	}
	return []string{"lead_id"}
}

// stageFile reads file f into its staging table and returns an InputError
// for its first problem.
func stageFile(ctx context.Context, q querier, f inputFile, renames map[string]string) (stagedFile, error) {
	sf := stagedFile{file: f, table: QuoteIdent(stageTable(f.kind))}
	cols, err := probeColumns(ctx, q, f)
	if err != nil {
		return sf, err
	}
	if f.format == formatJSON && len(cols) == 1 && cols[0].name == "json" && cols[0].dbType == "JSON" {
		return sf, &InputError{File: f.path, Problem: "has no records"}
	}
	selectList, shown, err := columnsFor(f, cols, renames)
	if err != nil {
		return sf, err
	}
	sf.attrs = f.kind == KindLeads && hasAttributes(cols, renames)
	stage := fill(withSource(stageSQL(f.kind), f), "/*COLUMNS*/", selectList, "/*STAGE*/", sf.table)
	if f.format == formatCSV {
		dropTables(ctx, q, "load_rejects", "load_reject_scans")
	}
	if _, err := q.ExecContext(ctx, stage, f.path); err != nil {
		if isCanceled(ctx, err) {
			return sf, err
		}
		return sf, readerError(f, err)
	}
	if f.format == formatCSV {
		if err := csvRejects(ctx, q, f); err != nil {
			return sf, err
		}
	}
	if err := firstProblem(ctx, q, sf, shown); err != nil {
		return sf, err
	}
	var key []string
	for _, c := range naturalKey(f.kind) {
		key = append(key, QuoteIdent(c))
	}
	summary := fill(stageSummarySQL, "/*TS*/", QuoteIdent(timestampColumn(f.kind)), "/*KEY*/", strings.Join(key, ", "), "/*STAGE*/", sf.table)
	if err := q.QueryRowContext(ctx, summary).Scan(&sf.rows, &sf.lo, &sf.hi, &sf.distinct); err != nil {
		return sf, fmt.Errorf("load %s %s: %w", f.kind, f.path, err)
	}
	return sf, nil
}

// writeFile adds a staged file's new rows inside tx.
func writeFile(ctx context.Context, tx *sql.Tx, sf stagedFile) (FileResult, error) {
	f := sf.file
	fr := FileResult{Kind: f.kind, File: f.path, SHA256: f.sha256, Rows: sf.rows}
	st := func(q string) string { return fill(q, "/*STAGE*/", sf.table) }
	var err error
	switch f.kind {
	case KindLeads:
		err = writeLeads(ctx, tx, &fr, sf)
	case KindEvents:
		fr.Added, err = insertNew(ctx, tx, sf, "events", st(insertEventsNewSQL), st(insertEventsSQL))
	case KindStages:
		fr.Added, err = insertNew(ctx, tx, sf, "stages", st(insertStagesNewSQL), st(insertStagesSQL))
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

// csvRejects returns an InputError for the first row the CSV reader
// rejected, or nil.
func csvRejects(ctx context.Context, q querier, f inputFile) error {
	var (
		offset, line, n int64
		typ, msg        string
	)
	err := q.QueryRowContext(ctx, csvRejectsSQL).Scan(&offset, &line, &typ, &msg, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load %s %s: rejected rows: %w", f.kind, f.path, err)
	}
	ie := &InputError{File: f.path, Line: int(line), More: n - 1, Problem: firstSentence(msg)}
	if l, err := lineAtOffset(f, offset); err == nil && l > 0 {
		ie.Line = l
	}
	if m := csvColumnsRE.FindStringSubmatch(msg); m != nil {
		ie.Problem = fmt.Sprintf("expected %s fields like the header, found %s", m[1], m[2])
	} else if typ == "INVALID ENCODING" {
		ie.Problem = "not valid UTF-8 (save the file as UTF-8)"
	}
	return ie
}

// lineAtOffset is the 1-based line of the file's (decompressed) content at
// byte offset.
func lineAtOffset(f inputFile, offset int64) (int, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	var r io.Reader = fh
	if f.gz {
		zr, err := gzip.NewReader(fh)
		if err != nil {
			return 0, err
		}
		r = zr
	}
	buf := make([]byte, 1<<16)
	lines := 1
	for offset > 0 {
		n, err := r.Read(buf[:min(int64(len(buf)), offset)])
		lines += bytes.Count(buf[:n], []byte{'\n'})
		offset -= int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	return lines, nil
}

// dropTables drops temporary tables by name, ignoring errors.
func dropTables(ctx context.Context, q querier, names ...string) {
	for _, t := range names {
		q.ExecContext(ctx, fill(dropTempSQL, "/*TABLE*/", QuoteIdent(t)))
	}
}

// insertNew adds a staged file's rows to table (events or stages) that are
// not stored yet: with the cheaper statement fresh when the table holds no
// row in the file's time range, else with compare, which skips stored rows.
func insertNew(ctx context.Context, tx *sql.Tx, sf stagedFile, table, fresh, compare string) (int64, error) {
	if sf.rows == 0 {
		return 0, nil
	}
	var overlap bool
	q := fill(overlapSQL, "/*TABLE*/", QuoteIdent(table), "/*TS*/", QuoteIdent(timestampColumn(sf.file.kind)))
	if err := tx.QueryRowContext(ctx, q, sf.lo.Time, sf.hi.Time).Scan(&overlap); err != nil {
		return 0, err
	}
	if !overlap {
		distinct := "DISTINCT"
		if sf.distinct == sf.rows {
			distinct = ""
		}
		return execCount(ctx, tx, fill(fresh, "/*DISTINCT*/", distinct))
	}
	return execCount(ctx, tx, compare, sf.lo.Time, sf.hi.Time)
}

// execCount runs an INSERT and returns the number of rows it added.
func execCount(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	r, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

// writeLeads adds new leads and replaces changed ones with their attributes.
func writeLeads(ctx context.Context, tx *sql.Tx, fr *FileResult, sf stagedFile) error {
	attrSQL := leadsAttrsNoneSQL
	if sf.attrs {
		attrSQL = leadsAttrsSQL
	}
	for _, q := range []string{leadsLatestSQL, attrSQL, leadsWriteSQL} {
		if _, err := tx.ExecContext(ctx, fill(q, "/*STAGE*/", sf.table)); err != nil {
			return err
		}
	}
	if err := tx.QueryRowContext(ctx, leadsCountsSQL).Scan(&fr.Added, &fr.Updated); err != nil {
		return err
	}
	for _, q := range []string{leadsDeleteSQL, leadsDeleteAttrsSQL, leadsInsertSQL, leadsInsertAttrsSQL} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// hasAttributes reports whether a leads file has columns beyond the contract's.
func hasAttributes(cols []fileColumn, renames map[string]string) bool {
	known := map[string]bool{}
	for _, c := range contractColumns(KindLeads) {
		known[c.name] = true
	}
	for _, c := range cols {
		if !known[targetName(c.name, renames)] {
			return true
		}
	}
	return false
}

// targetName is the contract name a file column takes: its mapping, or its
// own name normalised.
func targetName(name string, renames map[string]string) string {
	n := normName(name)
	if to, ok := renames[n]; ok {
		return to
	}
	return n
}

// columnsFor writes the /*COLUMNS*/ select list of a staging statement:
// each contract column from the file column mapped to it, and for leads the
// remaining columns as attributes. It returns, per contract column, how the
// file names it (for messages). Identifiers from the file go through
// QuoteIdent only.
func columnsFor(f inputFile, cols []fileColumn, renames map[string]string) (string, map[string]string, error) {
	byTarget := map[string]fileColumn{}
	var order []string
	for _, c := range cols {
		t := targetName(c.name, renames)
		if prev, ok := byTarget[t]; ok {
			return "", nil, &InputError{File: f.path, Line: headerLine(f),
				Problem: fmt.Sprintf("columns %q and %q both give column %s", prev.name, c.name, t)}
		}
		byTarget[t] = c
		order = append(order, t)
	}
	var list []string
	shown := map[string]string{}
	used := map[string]bool{}
	for _, cc := range contractColumns(f.kind) {
		c, ok := byTarget[cc.name]
		if !ok && cc.required {
			found := make([]string, len(cols))
			for i, c := range cols {
				found[i] = c.name
			}
			problem := fmt.Sprintf("missing required column %s (columns found: %s)", cc.name, strings.Join(found, ", "))
			if len(cols) == 1 && f.format == formatCSV {
				problem += "; if the file is delimited, a row may have more fields than the header"
			}
			return "", nil, &InputError{File: f.path, Line: headerLine(f), Problem: problem}
		}
		used[cc.name] = true
		shown[cc.name] = cc.name
		if ok && normName(c.name) != cc.name {
			shown[cc.name] = fmt.Sprintf("%s (%q in the file)", cc.name, c.name)
		}
		list = append(list, columnExprs(cc, c, ok)...)
	}
	if f.kind == KindLeads {
		for _, t := range order {
			if used[t] {
				continue
			}
			if strings.HasPrefix(t, "_") {
				return "", nil, &InputError{File: f.path, Line: headerLine(f),
					Problem: fmt.Sprintf("column name %q is reserved (names starting with _); rename it with --map", byTarget[t].name)}
			}
			list = append(list, "funnel_text("+textExpr(byTarget[t])+") AS "+QuoteIdent(t))
		}
	}
	return strings.Join(list, ",\n    "), shown, nil
}

// columnExprs are the select-list entries of contract column cc taken from
// file column c (present says whether the file has it).
func columnExprs(cc contractColumn, c fileColumn, present bool) []string {
	name := cc.name
	raw, typed := "_raw_"+name, "_typed_"+name
	switch cc.typ {
	case typeText:
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(name)}
	case typeOutcome:
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(raw)}
	case typeTimestamp:
		if isTemporal(c.dbType) {
			return []string{"NULL::VARCHAR AS " + QuoteIdent(raw), "CAST(" + QuoteIdent(c.name) + " AS TIMESTAMP) AS " + QuoteIdent(typed)}
		}
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(raw), "NULL::TIMESTAMP AS " + QuoteIdent(typed)}
	case typeNumber:
		if !present {
			return []string{"NULL::VARCHAR AS " + QuoteIdent(raw), "NULL::DOUBLE AS " + QuoteIdent(typed)}
		}
		if isNumeric(c.dbType) {
			return []string{"NULL::VARCHAR AS " + QuoteIdent(raw), "CAST(" + QuoteIdent(c.name) + " AS DOUBLE) AS " + QuoteIdent(typed)}
		}
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(raw), "NULL::DOUBLE AS " + QuoteIdent(typed)}
	}
	return nil
}

// textExpr is file column c as text: JSON values unquoted, other types cast.
func textExpr(c fileColumn) string {
	id := QuoteIdent(c.name)
	switch {
	case c.dbType == "VARCHAR":
		return id
	case c.dbType == "JSON":
		return "json_extract_string(" + id + ", '$')"
	}
	return "CAST(" + id + " AS VARCHAR)"
}

func isTemporal(t string) bool {
	return t == "DATE" || strings.HasPrefix(t, "TIMESTAMP")
}

func isNumeric(t string) bool {
	for _, p := range []string{"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// headerLine is the line of a file's column names: 1 for CSV, none otherwise.
func headerLine(f inputFile) int {
	if f.format == formatCSV {
		return 1
	}
	return 0
}

// firstProblem returns an InputError for the first staged row with a
// problem, or nil when there is none.
func firstProblem(ctx context.Context, q querier, sf stagedFile, shown map[string]string) error {
	f := sf.file
	var (
		rec       int64
		col, kind string
		value     sql.NullString
		problems  int64
	)
	err := q.QueryRowContext(ctx, fill(firstProblemSQL, "/*STAGE*/", sf.table)).Scan(&rec, &col, &kind, &value, &problems)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load %s %s: check: %w", f.kind, f.path, err)
	}
	ie := &InputError{File: f.path, Column: shown[col], Value: value.String, More: problems - 1}
	if ie.Column == "" {
		ie.Column = col
	}
	switch kind {
	case "empty":
		ie.Problem = "empty value"
	case "timestamp":
		ie.Problem = fmt.Sprintf("cannot parse %q as a timestamp", value.String)
	case "number":
		ie.Problem = fmt.Sprintf("cannot parse %q as a number", value.String)
	case "outcome":
		ie.Problem = fmt.Sprintf("unknown outcome %q (want won or lost)", value.String)
	default:
		ie.Problem = kind
	}
	ie.Line, ie.Record = recordPosition(ctx, q, f, rec)
	return ie
}

// recordPosition turns a 0-based record number into what a user finds in
// the file: a line for CSV (header is line 1) and NDJSON, a row otherwise.
func recordPosition(ctx context.Context, q querier, f inputFile, rec int64) (int, bool) {
	switch {
	case f.format == formatJSON && f.ndjson:
		return int(rec) + 1, false
	case f.format != formatCSV:
		return int(rec) + 1, true
	}
	fallback := int(rec) + 2
	var quote, escape string
	var skip int
	if err := q.QueryRowContext(ctx, sniffCSVSQL, f.path).Scan(&quote, &escape, &skip); err != nil {
		return fallback, false
	}
	line, err := locateCSVRecord(f, dialectChar(quote), dialectChar(escape), skip, int(rec))
	if err != nil || line == 0 {
		return fallback, false
	}
	return line, false
}

// dialectChar is a one-byte quote or escape character from sniff_csv, or 0.
func dialectChar(s string) byte {
	if len(s) == 1 {
		return s[0]
	}
	return 0
}

// locateCSVRecord opens the file (decompressing .gz) and finds the line of
// record rec.
func locateCSVRecord(f inputFile, quote, escape byte, skip, rec int) (int, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	var r io.Reader = fh
	if f.gz {
		zr, err := gzip.NewReader(fh)
		if err != nil {
			return 0, err
		}
		r = zr
	}
	return csvRecordLine(r, quote, escape, skip, rec)
}
