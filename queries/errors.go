package queries

import "errors"

// ErrInUse is returned by Open when another process holds the database file.
var ErrInUse = errors.New("database is in use by another process")

// ErrNothingToLoad is returned by Load when the request names no file.
var ErrNothingToLoad = errors.New("nothing to load: name at least one of the leads, events, stages or outcomes files")
