package queries

import "errors"

// ErrInUse is returned by Open when another process holds the database file.
var ErrInUse = errors.New("database is in use by another process")

// ErrNothingToLoad is returned by Load when the request names no file.
var ErrNothingToLoad = errors.New("nothing to load: name at least one of the leads, events, stages or outcomes files")

// ErrNotWorkspace is returned by a read-only Open of a database file that
// holds none of the workspace tables: a DuckDB file not made by funnel, or
// one whose first load was killed before it created them.
var ErrNotWorkspace = errors.New("database holds no funnel tables")

// ErrNotDatabase is returned by Open when the file exists but is not a
// DuckDB database (a SQLite file, a text file).
var ErrNotDatabase = errors.New("not a DuckDB database")

// ErrCreatedMeanwhile is returned by the first Load into a new workspace
// file when another process created the file while this load ran; nothing
// of this load was stored.
var ErrCreatedMeanwhile = errors.New("database was created by another process during this load")

// ErrNewerWorkspace is returned by Open when the workspace was written by a
// newer funnel, whose schema version this one does not know.
var ErrNewerWorkspace = errors.New("workspace written by a newer funnel")
