package queries

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

//go:embed store_set_timezone.sql
var setTimeZoneSQL string

//go:embed load_macro_text.sql
var macroTextSQL string

//go:embed load_macro_timestamp.sql
var macroTimestampSQL string

//go:embed load_macro_number.sql
var macroNumberSQL string

// DefaultPath is the workspace file used when the user names none.
const DefaultPath = "funnel.duckdb"

// Options tune how a store is opened. The zero value opens read-write with
// DuckDB's defaults for memory and temporary files.
type Options struct {
	// ReadOnly opens the file without write access, so several readers may
	// share it. The schema is not created.
	ReadOnly bool
	// MemoryLimit caps DuckDB's memory, e.g. "2GB"; empty keeps DuckDB's default
	// (80% of RAM).
	MemoryLimit string
	// TempDir is where DuckDB spills when a query outgrows MemoryLimit; empty
	// keeps DuckDB's default (next to the database file).
	TempDir string
	// DeferCreate leaves a missing file uncreated by a read-write Open: the
	// store reads an empty in-memory workspace until the first Load that
	// succeeds creates the file, so a refused first load leaves no file.
	// False creates the empty workspace file at once (atomically, as a load
	// would).
	DeferCreate bool
}

// Store is an open workspace: one DuckDB file holding leads, events, stages,
// outcomes and the load log.
type Store struct {
	db   *sql.DB
	path string
	opts Options
	// pending is true for a read-write store whose file does not exist
	// yet: db is an empty in-memory workspace and the first Load creates
	// the file.
	pending bool
	// held is, for a workspace file open read-write, a descriptor of the
	// file db holds, which a load copies; closed after db.
	held *os.File
	// file is, for a read-write store, the workspace file a load replaces:
	// path with symbolic links resolved, so a linked workspace stays linked.
	file string
}

// Open opens the DuckDB file at path (":memory:" or "" for an in-memory
// store). A read-only open of a file holding none of the workspace tables
// returns ErrNotWorkspace; a workspace written by a newer funnel (a higher
// schema version, see SchemaVersion) returns ErrNewerWorkspace. A read-write
// open of an existing file holds DuckDB's lock on it (other writers and
// readers are refused) and changes nothing in it: an older workspace is
// upgraded by the migrations on the working copy of the next Load; a read-write open of a missing file creates an empty
// workspace file, or with opts.DeferCreate leaves that to the first Load.
// Loads into a file reach it only through a complete copy renamed over it
// (see Load). Extension auto-install and auto-load are switched off, so
// DuckDB never tries the network.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := checkDatabaseFile(path); err != nil {
		return nil, err
	}
	s, err := open(ctx, path, opts)
	if err != nil || !s.pending || opts.DeferCreate {
		return s, err
	}
	// Create the file as a load would: a copy with the tables, put in place
	// only when complete.
	err = s.throughCopy(ctx, func(context.Context, *sql.DB) error { return nil })
	if errors.Is(err, ErrCreatedMeanwhile) {
		s.Close()
		return open(ctx, path, opts)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// open opens the store without creating a missing file.
func open(ctx context.Context, path string, opts Options) (*Store, error) {
	s := &Store{path: path, opts: opts}
	dbPath := path
	if !opts.ReadOnly && !s.inMemory() {
		s.file = path
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			s.pending = true
			dbPath = ":memory:"
		} else if err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		} else if s.file, err = filepath.EvalSymlinks(path); err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	}
	db, err := openDB(ctx, dbPath, opts)
	if err != nil {
		return nil, readOnlyHint(openError(path, err), opts.ReadOnly)
	}
	s.db = db
	switch {
	case opts.ReadOnly:
		version, err := workspaceVersion(ctx, db)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		if version == 0 {
			db.Close()
			return nil, &notWorkspaceError{path: path}
		}
		if err := checkVersion(ctx, db, path); err != nil {
			db.Close()
			return nil, err
		}
	case s.inMemory() || s.pending:
		if err := migrate(ctx, db, path); err != nil {
			db.Close()
			return nil, err
		}
	default:
		// An older workspace is upgraded by the next load, on its working
		// copy; a newer one is refused before anything is copied.
		if err := checkVersion(ctx, db, path); err != nil {
			db.Close()
			return nil, err
		}
		// The descriptor the next load copies the file from. It stays open
		// until the store closes: closing any descriptor of a file drops the
		// process's POSIX locks on it, DuckDB's included.
		held, err := os.Open(s.file)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		s.held = held
	}
	return s, nil
}

// openDB opens a DuckDB database at path with the store's settings.
func openDB(ctx context.Context, path string, opts Options) (*sql.DB, error) {
	connector, err := duckdb.NewConnector(dataSourceName(path, opts), initConn)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// inMemory reports whether the store lives in memory only.
func (s *Store) inMemory() bool { return s.path == "" || s.path == ":memory:" }

// notWorkspaceError names a database file without the workspace tables;
// errors.Is(err, ErrNotWorkspace) is true for it.
type notWorkspaceError struct{ path string }

func (e *notWorkspaceError) Error() string {
	return fmt.Sprintf("database %s holds no funnel tables (not a funnel workspace, or its first load was interrupted); create them with funnel load --db %s", e.path, e.path)
}

func (e *notWorkspaceError) Is(target error) bool { return target == ErrNotWorkspace }

func dataSourceName(path string, opts Options) string {
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	q.Set("allow_community_extensions", "false")
	// Text reaches Go as Arrow string views: a string of up to 12 bytes (a
	// typical lead id) travels inside its 16-byte view, with no copy into a
	// separate buffer. Scoring's 98M event lead ids took 3.5 CPU-s as
	// plain Arrow strings. DuckDB makes both settings global.
	q.Set("produce_arrow_string_view", "true")
	q.Set("arrow_output_version", "1.4")
	if opts.ReadOnly {
		q.Set("access_mode", "READ_ONLY")
	}
	if opts.MemoryLimit != "" {
		q.Set("memory_limit", opts.MemoryLimit)
	}
	if opts.TempDir != "" {
		q.Set("temp_directory", opts.TempDir)
	}
	if path == ":memory:" {
		path = ""
	}
	return path + "?" + q.Encode()
}

// initConn prepares every new connection: timestamps are read and shown in
// UTC whatever the machine's zone, and the loader's parsing macros
// (funnel_text, funnel_ts, funnel_num) exist as temporary macros.
func initConn(execer driver.ExecerContext) error {
	for _, stmt := range []string{setTimeZoneSQL, macroTextSQL, macroTimestampSQL, macroNumberSQL} {
		if _, err := execer.ExecContext(context.Background(), stmt, nil); err != nil {
			return fmt.Errorf("prepare connection: %w", err)
		}
	}
	return nil
}

// openError maps DuckDB's lock conflict to ErrInUse. DuckDB 1.5 reports a
// file another process holds as
// `IO Error: Could not set lock on file "…": Conflicting lock is held in … (PID n)`.
func openError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock on file") || strings.Contains(msg, "Conflicting lock") {
		return &inUseError{path: path}
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// inUseError names the database another process holds; errors.Is(err,
// ErrInUse) is true for it.
type inUseError struct {
	path string
	// readOnly is true when a read-only open failed: DuckDB lets several
	// processes read a file only while none writes to it, so the message
	// says readers can run once the writer finishes.
	readOnly bool
}

func (e *inUseError) Error() string {
	if e.readOnly {
		return fmt.Sprintf("database %s is in use by another process; read-only commands can run once the process writing to it (e.g. funnel load) finishes", e.path)
	}
	return fmt.Sprintf("database %s is in use by another process", e.path)
}

// readOnlyHint marks an in-use error from a read-only open, so its message
// says when readers can run; other errors pass unchanged.
func readOnlyHint(err error, readOnly bool) error {
	var iu *inUseError
	if readOnly && errors.As(err, &iu) {
		iu.readOnly = true
	}
	return err
}

func (e *inUseError) Is(target error) bool { return target == ErrInUse }

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// DB is the underlying connection pool, for the queries package's own
// statements and for tests. For a read-write store whose file does not
// exist yet it is an empty in-memory workspace, replaced by the file's pool
// once the first Load created it.
func (s *Store) DB() *sql.DB { return s.db }

// Close releases the database file.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.held != nil {
		s.held.Close()
		s.held = nil
	}
	return err
}

// ArrowQuery runs query with args bound and returns its result as an Arrow
// record reader, about 15× faster than scanning rows through database/sql.
// The caller must Release the reader; releasing it also returns the
// connection it holds to the pool.
func (s *Store) ArrowQuery(ctx context.Context, query string, args ...any) (array.RecordReader, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var reader array.RecordReader
	err = withArrow(conn, func(ar *duckdb.Arrow) (err error) {
		reader, err = ar.QueryContext(ctx, query, args...)
		return err
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &connReader{RecordReader: reader, conn: conn}, nil
}

// withArrow calls use with the Arrow interface of the DuckDB connection conn.
func withArrow(conn *sql.Conn, use func(ar *duckdb.Arrow) error) error {
	return conn.Raw(func(dc any) error {
		dconn, ok := dc.(driver.Conn)
		if !ok {
			return errors.New("not a driver connection")
		}
		ar, err := duckdb.NewArrowFromConn(dconn)
		if err != nil {
			return err
		}
		return use(ar)
	})
}

// connReader releases its connection together with the Arrow reader.
type connReader struct {
	array.RecordReader
	conn *sql.Conn
}

func (r *connReader) Release() {
	r.RecordReader.Release()
	if r.conn != nil {
		r.conn.Close()
		r.conn = nil
	}
}

// quoteLiteral quotes s as an SQL string literal, for the few statements
// that cannot take a parameter (a view's definition).
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// QuoteIdent quotes a user-supplied identifier (a column name from an input
// file or a mapping) for use in SQL text. It is the one place dynamic
// identifiers are made safe: embedded double quotes are doubled.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
