package queries

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// checkDatabaseFile returns an error naming what the file at path is when
// it exists but is not a DuckDB database, which Open would otherwise pass
// to DuckDB: given a SQLite file, DuckDB tries to load its sqlite extension
// and names the missing extension file instead. A DuckDB file holds
// "DUCK" at bytes 8–11. A path that does not exist (a new workspace), is
// not a regular file, or cannot be read is left to DuckDB, and so is a file
// whose first 16 bytes are missing or zero: another process may be creating
// it this moment, and DuckDB then says the file is in use.
func checkDatabaseFile(path string) error {
	if path == "" || path == ":memory:" {
		return nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	head := make([]byte, 16)
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil
	}
	if n < len(head) || bytes.Count(head, []byte{0}) == len(head) || string(head[8:12]) == "DUCK" {
		return nil
	}
	what := "not a DuckDB database"
	if bytes.HasPrefix(head, []byte("SQLite format 3\x00")) {
		what = "a SQLite database, not a DuckDB database"
	}
	return &notDatabaseError{path: path, what: what}
}

// notDatabaseError names a file given as a workspace that is not a DuckDB
// database; errors.Is(err, ErrNotDatabase) is true for it.
type notDatabaseError struct{ path, what string }

func (e *notDatabaseError) Error() string {
	return fmt.Sprintf("database %s is %s; name a funnel workspace or a file that does not exist yet", e.path, e.what)
}

func (e *notDatabaseError) Is(target error) bool { return target == ErrNotDatabase }
