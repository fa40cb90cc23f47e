package queries

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

//go:embed store_schema_tables.sql
var schemaTablesSQL string

//go:embed store_schema_version.sql
var schemaVersionSQL string

//go:embed store_schema_version_create.sql
var schemaVersionCreateSQL string

//go:embed store_schema_version_record.sql
var schemaVersionRecordSQL string

// migration is one numbered change of the workspace schema,
// queries/migrations/NNN_what.sql.
type migration struct {
	version int
	name    string // file name, e.g. 002_undated_leads.sql
	sql     string
}

// migrations returns the embedded migrations in version order. Their
// numbers run 1, 2, 3, … without gaps.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name does not start with its number (NNN_what.sql)", e.Name())
		}
		body, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %03d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the workspace schema this funnel writes: the number of
// the newest migration in queries/migrations.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// workspaceVersion returns the schema version of the database q reads: 0
// for a database without workspace tables, 1 for a workspace written before
// migrations were numbered, else the highest migration it records.
func workspaceVersion(ctx context.Context, q querier) (int, error) {
	var tables int
	var hasVersion bool
	if err := q.QueryRowContext(ctx, schemaTablesSQL).Scan(&tables, &hasVersion); err != nil {
		return 0, err
	}
	if !hasVersion {
		if tables == 0 {
			return 0, nil
		}
		return 1, nil
	}
	var version int
	if err := q.QueryRowContext(ctx, schemaVersionSQL).Scan(&version); err != nil {
		return 0, err
	}
	return version, nil
}

// checkVersion returns a *newerWorkspaceError when the workspace at path
// was written by a newer funnel than this one.
func checkVersion(ctx context.Context, q querier, path string) error {
	version, err := workspaceVersion(ctx, q)
	if err != nil {
		return fmt.Errorf("read schema version of database %s: %w", path, err)
	}
	if latest := SchemaVersion(); version > latest {
		return &newerWorkspaceError{path: path, version: version, known: latest}
	}
	return nil
}

// migrate brings the workspace in db to the newest schema: it applies, in
// one transaction, every migration numbered above the workspace's version,
// and records each in schema_version. A database without workspace tables
// gets them all; a workspace of a newer funnel is refused with a
// *newerWorkspaceError and left unchanged.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("upgrade database %s: %w", path, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("upgrade database %s: %w", path, err)
	}
	defer tx.Rollback() // no-op after Commit
	version, err := workspaceVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("read schema version of database %s: %w", path, err)
	}
	if latest := ms[len(ms)-1].version; version > latest {
		return &newerWorkspaceError{path: path, version: version, known: latest}
	}
	if version == ms[len(ms)-1].version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, schemaVersionCreateSQL); err != nil {
		return fmt.Errorf("upgrade database %s: %w", path, err)
	}
	for _, m := range ms[version:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("upgrade database %s: migration %s: %w", path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, schemaVersionRecordSQL, m.version, m.name); err != nil {
			return fmt.Errorf("upgrade database %s: record migration %s: %w", path, m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("upgrade database %s: %w", path, err)
	}
	return nil
}

// newerWorkspaceError names a workspace written by a newer funnel;
// errors.Is(err, ErrNewerWorkspace) is true for it.
type newerWorkspaceError struct {
	path           string
	version, known int
}

func (e *newerWorkspaceError) Error() string {
	return fmt.Sprintf("database %s has workspace schema version %d, written by a newer funnel; this funnel reads up to version %d: update funnel to open it", e.path, e.version, e.known)
}

func (e *newerWorkspaceError) Is(target error) bool { return target == ErrNewerWorkspace }
