package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

//go:embed load_read_csv.sql
var readCSVSQL string

//go:embed load_read_parquet.sql
var readParquetSQL string

//go:embed load_read_json.sql
var readJSONSQL string

//go:embed load_probe.sql
var probeSQL string

//go:embed load_next_id.sql
var nextIDSQL string

//go:embed load_record.sql
var recordSQL string

//go:embed load_drop_temp.sql
var dropTempSQL string

//go:embed load_drop_temp_view.sql
var dropTempViewSQL string

// LoadRequest names the files of one load. Empty paths are skipped; at
// least one must be set.
type LoadRequest struct {
	// Leads, Events, Stages and Outcomes are paths of input files in the
	// input contract (CSV, Parquet or JSON by extension). Each may also name
	// a folder (every loadable file in it) or a glob pattern such as
	// exports/events-2026-*.csv (every match); all of them are loaded in the
	// one transaction, each logged with its SHA-256.
	Leads, Events, Stages, Outcomes string
	// Mapping renames the files' columns before they are checked; the zero
	// value renames nothing.
	Mapping Mapping
	// Outcome names the leads file's outcome column, whose values are
	// stored as undated outcomes (closed_at NULL); the zero value means the
	// leads file carries no outcome.
	Outcome OutcomeColumn
	// Placeholders stores a leads file's placeholder values ("Select", "-",
	// "n/a", …; see PlaceholderValues) as missing: channel NoChannel, an
	// attribute NoValue. False keeps them as they are.
	Placeholders bool
	// Progress, if not nil, is called as each file moves through the steps
	// of a load.
	Progress func(LoadProgress)
	// Now is the clock recorded in the load log, and the moment after which
	// (beyond a day of clock skew) a timestamp is refused as lying in the
	// future; nil means time.Now.
	Now func() time.Time
}

// LoadProgress reports a step of loading one file.
type LoadProgress struct {
	Kind Kind
	File string
	// Bytes is the size of the file on disk.
	Bytes int64
	// Step is one of "checking" (hashing and checking the encoding),
	// "reading" (DuckDB reads and parses the file), "writing" (adding new
	// rows) and "done".
	Step string
	// Elapsed is the time since the load started.
	Elapsed time.Duration
}

// FileResult is what one load did with one file.
type FileResult struct {
	Kind Kind `json:"kind"`
	// File is the absolute path of the file.
	File string `json:"file"`
	// Path is the path of the file as given, or as found in the folder or
	// by the pattern given.
	Path string `json:"path"`
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256 string `json:"sha256"`
	// Rows is the number of data rows read.
	Rows int64 `json:"rows"`
	// Added is the number of rows (for leads: leads) not stored before.
	Added int64 `json:"added"`
	// Updated is, for leads, the number of stored leads whose created_at,
	// channel or attributes the file changed; zero for other kinds.
	Updated int64 `json:"updated"`
	// Duplicates is Rows − Added − Updated: rows repeated within the file or
	// already stored, which were skipped.
	Duplicates int64 `json:"duplicates"`
	// Orphans is the number of rows naming a lead_id the leads table does
	// not hold after this load; zero for leads.
	Orphans int64 `json:"orphans"`
	// Outcomes is, for a leads file loaded with an outcome column, the
	// number of undated outcomes it added; zero otherwise.
	Outcomes int64 `json:"outcomes,omitempty"`
}

// LoadResult is what one load did: its number in the load log and one
// result per file, in load order (leads, events, stages, outcomes).
type LoadResult struct {
	LoadID int64        `json:"load_id"`
	Files  []FileResult `json:"files"`
}

// Load reads the request's files into the store in one transaction: either
// every file is added or, on any error, the database is left as it was.
// For a workspace file the transaction runs on a working copy that replaces
// the file only once complete (see throughCopy), so this holds even when
// the process is killed during DuckDB's commit or checkpoint; the first
// load into a new file creates it then, and a refused one leaves no file.
// Loading is idempotent: rows already stored are skipped (natural keys:
// leads by lead_id, whose created_at, channel and attributes a later load
// updates; events by all columns; stages by lead_id, stage and entered_at;
// outcomes by lead_id, closed_at and outcome). A problem with an input file
// is returned as an *InputError naming file, line, column and value.
func (s *Store) Load(ctx context.Context, req LoadRequest) (LoadResult, error) {
	res, err := s.load(ctx, req)
	if err != nil && ctx.Err() != nil {
		// DuckDB reports an interrupted query as its own error; say why.
		return LoadResult{}, fmt.Errorf("load canceled, database unchanged: %w", ctx.Err())
	}
	var ie *InputError
	if err != nil && !errors.As(err, &ie) {
		err = oneLineError{err}
	}
	return res, err
}

// oneLineError shows only the first line of an error (DuckDB's messages
// run over several lines, the CLI prints one) and keeps the rest for
// errors.Is and errors.As.
type oneLineError struct{ err error }

func (e oneLineError) Error() string { return firstSentence(e.err.Error()) }
func (e oneLineError) Unwrap() error { return e.err }

func (s *Store) load(ctx context.Context, req LoadRequest) (LoadResult, error) {
	start := time.Now()
	now := req.Now
	if now == nil {
		now = time.Now
	}
	paths := map[Kind]string{KindLeads: req.Leads, KindEvents: req.Events, KindStages: req.Stages, KindOutcomes: req.Outcomes}
	report := func(f inputFile, step string) {
		if req.Progress != nil {
			req.Progress(LoadProgress{Kind: f.kind, File: f.path, Bytes: f.size, Step: step, Elapsed: time.Since(start)})
		}
	}
	if req.Outcome.Column == "" && req.Outcome.Won != nil {
		return LoadResult{}, errors.New("won values are given without an outcome column")
	}
	if req.Outcome.Column != "" && req.Leads == "" {
		return LoadResult{}, fmt.Errorf("outcome column %q: name the leads file that carries it", req.Outcome.Column)
	}
	if err := checkWonValues(req.Outcome.Won); err != nil {
		return LoadResult{}, err
	}
	var files []inputFile
	for _, k := range loadOrder() {
		if paths[k] == "" {
			continue
		}
		names, err := inputPaths(paths[k])
		if err != nil {
			return LoadResult{}, err
		}
		for i, name := range names {
			files = append(files, inputFile{kind: k, path: name, seq: i})
		}
	}
	if len(files) == 0 {
		return LoadResult{}, ErrNothingToLoad
	}
	var mu sync.Mutex // the files are inspected on another goroutine
	reportOne := report
	report = func(f inputFile, step string) {
		mu.Lock()
		defer mu.Unlock()
		reportOne(f, step)
	}
	fs := inspectAhead(ctx, files, report)
	defer fs.stop()
	if !s.inMemory() && !s.pending {
		// A refused file costs no copy of a workspace that holds data.
		if err := fs.firstError(); err != nil {
			return LoadResult{}, err
		}
	}
	if s.inMemory() {
		return writeAll(ctx, s.db, fs, req, report, now, false)
	}
	var res LoadResult
	err := s.throughCopy(ctx, func(ctx context.Context, db *sql.DB) error {
		var err error
		res, err = writeAll(ctx, db, fs, req, report, now, true)
		return err
	})
	if err != nil {
		if ierr := fs.firstError(); ierr != nil {
			return LoadResult{}, ierr
		}
		return LoadResult{}, err
	}
	return res, nil
}

// errAfterCommit marks an error of a load's second transaction (see
// writeFiles): db then holds the load's rows, so the load is not run again
// through the staged path; on a working copy the copy is thrown away.
var errAfterCommit = errors.New("after the load's commit")

// writeAll adds the files to db in one transaction: first with the leads,
// events and stages files whose stored table is empty checked and inserted
// in one pass (see takesDirect and writeDirect); if that fails after such a file was staged, the
// transaction is rolled back and the load runs again with every file
// staged and checked before the transaction, which reports any problem by
// file and line as it always did. onCopy says db is a working copy whose
// rename is the load's commit (throughCopy): rows a file inserted in one
// pass repeats are then dropped in a second transaction (see writeFiles).
func writeAll(ctx context.Context, db *sql.DB, files *inputFiles, req LoadRequest, report func(inputFile, string), now func() time.Time, onCopy bool) (LoadResult, error) {
	res, direct, err := writeFiles(ctx, db, files, req, report, now, true, onCopy)
	if err != nil {
		if ierr := files.firstError(); ierr != nil {
			return LoadResult{}, ierr
		}
	}
	if retryStaged(ctx, err, direct) {
		res, _, err = writeFiles(ctx, db, files, req, report, now, false, onCopy)
	}
	return res, err
}

// retryStaged reports whether a load that failed with err, after some file
// took the one-pass path (direct), runs again through the staged path: not
// when it was canceled, and not after its commit, when db holds the load's
// rows and the staged path would find them all stored already.
func retryStaged(ctx context.Context, err error, direct bool) bool {
	return err != nil && direct && !isCanceled(ctx, err) && !errors.Is(err, errAfterCommit)
}

// writeFiles stages and checks the files on one connection of db, then adds
// them in one transaction. With direct, a leads, events or stages file
// whose stored table is empty (see takesDirect) is staged as a view and
// checked as it is inserted;
// tookDirect says whether a file was, before any error.
//
// Rows such a file repeats are counted in the transaction and, with
// dropLater, deleted in a second one after its commit: DuckDB writes a
// large insert to the file as it goes and at commit merges it into the
// table as written, unless rows of it were deleted in the same
// transaction; then it appends every row again. At 100M events, deleting
// the 13 repeated rows in the transaction made the commit take 45 s and
// spill 0.75 GB instead of 8 s. On a working copy (throughCopy) the two
// transactions are still one load to the user: the copy replaces the
// workspace only after both.
func writeFiles(ctx context.Context, db *sql.DB, files *inputFiles, req LoadRequest, report func(inputFile, string), now func() time.Time, direct, dropLater bool) (res LoadResult, tookDirect bool, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return LoadResult{}, false, fmt.Errorf("load: %w", err)
	}
	defer conn.Close()
	// The staging tables are temporary tables of this connection; drop them
	// before it goes back to the pool, even when ctx is canceled.
	defer dropTemp(context.WithoutCancel(ctx), conn, files.base)

	// Stage and check every file before the transaction: a staging table
	// filled outside a transaction numbers its rows 0, 1, … in file order
	// (rowid), which the line numbers of problems rely on. Timestamps after
	// the moment of the load (beyond clockSkew) are refused.
	loadedAt := now().UTC()
	staged := make([]stagedFile, 0, len(files.base))
	// Only the one file of its kind in a load can find its table empty
	// when it is inserted.
	perKind := map[Kind]int{}
	for _, f := range files.base {
		perKind[f.kind]++
	}
	for i := range files.base {
		f, err := files.get(i)
		if err != nil {
			return LoadResult{}, tookDirect, err
		}
		report(f, "reading")
		spec := columnSpec{renames: req.Mapping.For(f.kind), constants: req.Mapping.Constants(f.kind)}
		if f.kind == KindLeads {
			spec.outcome, spec.placeholders = req.Outcome, req.Placeholders
		}
		one := false
		if direct && perKind[f.kind] == 1 {
			if one, err = takesDirect(ctx, conn, f, spec); err != nil {
				return LoadResult{}, tookDirect, err
			}
		}
		var sf stagedFile
		if one {
			tookDirect = true
			sf, err = stageView(ctx, conn, f, spec)
		} else {
			sf, err = stageFile(ctx, conn, f, spec, loadedAt)
		}
		if err != nil {
			return LoadResult{}, tookDirect, err
		}
		staged = append(staged, sf)
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return LoadResult{}, tookDirect, fmt.Errorf("load: begin: %w", err)
	}
	defer tx.Rollback() // no-op after Commit

	if err := tx.QueryRowContext(ctx, nextIDSQL).Scan(&res.LoadID); err != nil {
		return LoadResult{}, tookDirect, fmt.Errorf("load: %w", err)
	}
	var later []repeatedRows // dropped after the commit
	for _, sf := range staged {
		f := sf.file
		report(f, "writing")
		var fr FileResult
		if sf.direct {
			var rep *repeatedRows
			fr, rep, err = writeDirect(ctx, db, conn, tx, sf, loadedAt, dropLater)
			if rep != nil {
				rep.result = len(res.Files)
				later = append(later, *rep)
			}
		} else {
			fr, err = writeFile(ctx, tx, sf)
		}
		if err != nil {
			return LoadResult{}, tookDirect, fmt.Errorf("load %s %s: %w", f.kind, f.path, err)
		}
		fr.Path = f.path
		if abs, err := filepath.Abs(f.path); err == nil {
			fr.File = abs
		}
		if fr.SHA256, err = f.digest.wait(); err != nil {
			return LoadResult{}, tookDirect, err
		}
		if _, err := tx.ExecContext(ctx, recordSQL, res.LoadID, string(f.kind), fr.File, fr.SHA256,
			fr.Rows, fr.Added+fr.Updated, fr.Duplicates, loadedAt); err != nil {
			return LoadResult{}, tookDirect, fmt.Errorf("load %s %s: record: %w", f.kind, f.path, err)
		}
		res.Files = append(res.Files, fr)
		report(f, "done")
	}
	if err := tx.Commit(); err != nil {
		return LoadResult{}, tookDirect, fmt.Errorf("load: commit: %w", err)
	}
	if len(later) > 0 {
		if err := dropRepeatedAfterCommit(ctx, conn, later, res.Files); err != nil {
			return LoadResult{}, tookDirect, fmt.Errorf("%w: %w", errAfterCommit, err)
		}
	}
	return res, tookDirect, nil
}

// tempTables are the loader's temporary tables besides the staging tables.
func tempTables() []string {
	return []string{"load_leads", "load_attrs", "load_leads_write", "load_rejects", "load_reject_scans", "load_repeated_keys"}
}

// stageTable is the name of the staging table of the seq-th file (from 0)
// of kind k in a load.
func stageTable(k Kind, seq int) string {
	if seq == 0 {
		return "load_stage_" + string(k)
	}
	return fmt.Sprintf("load_stage_%s_%d", k, seq)
}

// dropTemp drops the loader's temporary tables; errors are ignored because
// the connection is closed or reused either way.
func dropTemp(ctx context.Context, conn *sql.Conn, files []inputFile) {
	names := tempTables()
	for _, f := range files {
		names = append(names, stageTable(f.kind, f.seq))
	}
	dropTables(ctx, conn, names...)
}

// querier is what *sql.Conn and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sourceSQL is the reader statement for a file's format.
func sourceSQL(f inputFile) string {
	switch f.format {
	case formatParquet:
		return readParquetSQL
	case formatJSON:
		return readJSONSQL
	}
	return readCSVSQL
}

// withSource fills a template's /*SOURCE*/ with the file's reader, which
// names the file's path as a literal.
func withSource(template string, f inputFile) string {
	src := strings.TrimRight(strings.TrimSpace(fill(sourceSQL(f), "/*PATH*/", quoteLiteral(f.path), "/*DIALECT*/", f.dialect.readOptions())), ";")
	return fill(template, "/*SOURCE*/", src)
}

// fill drops a template's comment lines (which mention its markers) and
// replaces each marker by its text: fill(t, marker1, text1, marker2, …).
func fill(template string, markersAndTexts ...string) string {
	return strings.NewReplacer(markersAndTexts...).Replace(stripComments(template))
}

// stripComments drops the `--` header lines of an embedded statement so it
// can be nested in another.
func stripComments(q string) string {
	var b strings.Builder
	for _, line := range strings.Split(q, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// fileColumn is a column as the file names and types it.
type fileColumn struct {
	name   string // as in the file
	dbType string // DuckDB type name
	// isConstant is true for a column a mapping sets to a constant (see
	// Mapping.Constants): name is then the contract's name and constant its
	// value, the same in every row.
	isConstant bool
	constant   string
	// unpadded is true for a CSV column whose values need no trimming: no
	// value of the file starts or ends with a space (paddingScan), and the
	// reader gives an empty field as NULL.
	unpadded bool
}

// fileColumns returns the file's columns: for a CSV file whose dialect is
// given back to read_csv, the names its sniff found, each as text (every
// column is read so); else those of probeColumns.
func fileColumns(ctx context.Context, q querier, f inputFile) ([]fileColumn, error) {
	if f.format != formatCSV || !f.dialect.exact || len(f.dialect.columns) == 0 {
		return probeColumns(ctx, q, f)
	}
	unpadded := !f.padded && fieldBoundary(f.dialect.delim) && (f.dialect.quote == 0 || fieldBoundary(f.dialect.quote))
	cols := make([]fileColumn, len(f.dialect.columns))
	for i, name := range f.dialect.columns {
		cols[i] = fileColumn{name: name, dbType: "VARCHAR", unpadded: unpadded}
	}
	return cols, nil
}

// probeColumns returns the file's columns without reading its rows.
func probeColumns(ctx context.Context, q querier, f inputFile) ([]fileColumn, error) {
	rows, err := q.QueryContext(ctx, withSource(probeSQL, f))
	if err != nil {
		return nil, readerError(f, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, readerError(f, err)
	}
	cols := make([]fileColumn, len(types))
	for i, t := range types {
		cols[i] = fileColumn{name: t.Name(), dbType: t.DatabaseTypeName()}
	}
	return cols, rows.Err()
}

// isCanceled reports whether err comes from a canceled or expired context.
func isCanceled(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
