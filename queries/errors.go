package queries

import "errors"

// ErrInUse is returned by Open when another process holds the database file.
var ErrInUse = errors.New("database is in use by another process")
