// Command floor measures DuckDB's own ingest of the files a `funnel load`
// reads: each file into a new table of a new database file with
// CREATE TABLE AS SELECT * FROM read_csv(…) (or read_parquet), then
// CHECKPOINT. It is the floor bench/run compares the load with; it checks
// nothing, de-duplicates nothing and is not atomic.
//
// Usage:
//
//	floor --db FILE KIND=PATH ...
//
// e.g. floor --db /tmp/f.duckdb leads=leads.csv events=events.csv. The
// database file must not exist. It prints the wall seconds of the whole
// ingest on stdout.
package main

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

//go:embed ingest.sql
var ingestSQL string

func main() {
	os.Exit(run(context.Background(), os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file to create (must not exist)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dbPath == "" || fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: floor --db FILE KIND=PATH ...")
		return 2
	}
	if _, err := os.Stat(*dbPath); !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "error: %s exists\n", *dbPath)
		return 1
	}
	start := time.Now()
	if err := ingest(ctx, *dbPath, fs.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 1
	}
	fmt.Printf("%.2f\n", time.Since(start).Seconds())
	return 0
}

var tableName = regexp.MustCompile(`^[a-z_]+$`)

// ingest reads each KIND=PATH file into table KIND of a new database at
// path and checkpoints it.
func ingest(ctx context.Context, path string, files []string) error {
	db, err := sql.Open("duckdb", path+"?autoinstall_known_extensions=false&autoload_known_extensions=false")
	if err != nil {
		return err
	}
	defer db.Close()
	for _, kf := range files {
		kind, file, ok := strings.Cut(kf, "=")
		if !ok || !tableName.MatchString(kind) {
			return fmt.Errorf("argument %q: want KIND=PATH with KIND in lower-case letters", kf)
		}
		reader := "read_csv"
		if strings.HasSuffix(file, ".parquet") {
			reader = "read_parquet"
		}
		q := strings.NewReplacer("/*TABLE*/", kind, "/*READER*/", reader).Replace(ingestSQL)
		if _, err := db.ExecContext(ctx, q, file); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	_, err = db.ExecContext(ctx, "CHECKPOINT")
	return err
}
