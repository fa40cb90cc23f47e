package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/funnel-dev/funnel/internal/atomicfile"
	"github.com/funnel-dev/funnel/queries"
	"github.com/funnel-dev/funnel/reports"
)

// exportManifest is the file in an export folder that lists the files
// funnel wrote there, one name a line: only those may be replaced by a
// later export.
const exportManifest = ".funnel-export"

// exportHelp is the --export flag's help, the same for every command that
// exports its tables.
const exportHelp = "write every table of the JSON as CSV and Parquet into this `DIR` (created if missing)"

// export is one export folder about to be written: its tables and files.
type export struct {
	dir    string
	tables []reports.Table
	known  map[string]bool // names in the manifest
}

// planExport turns v (the JSON form of a result) into tables and checks
// the folder before anything is written: it is refused, naming the file,
// when it holds a NAME.csv or NAME.parquet that funnel did not write there
// (not in its manifest), or when one of them is not a regular file.
func planExport(dir string, v any) (*export, error) {
	if err := checkOutputDir("--export", dir); err != nil {
		return nil, err
	}
	tables, err := reports.Tables(v)
	if err != nil {
		return nil, err
	}
	known, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	e := &export{dir: dir, tables: tables, known: known}
	for _, name := range e.files() {
		path := filepath.Join(dir, name)
		if err := atomicfile.CheckTarget(path); err != nil {
			return nil, fmt.Errorf("--export %w; outputs must be regular files", err)
		}
		if _, err := os.Lstat(path); err == nil && !known[name] {
			return nil, fmt.Errorf("--export %s: %s exists and was not written by funnel; move it away or choose another folder", dir, name)
		}
	}
	return e, nil
}

// files are the names the export writes, in table order.
func (e *export) files() []string {
	var out []string
	for _, t := range e.tables {
		out = append(out, t.Name+".csv", t.Name+".parquet")
	}
	return out
}

// write writes the manifest listing every file funnel has written to the
// folder, then the tables: the CSV files all or none, then each Parquet
// file through an in-memory DuckDB opened with opts (the workspace may be
// open read-only, where DuckDB cannot register the tables). It returns the
// number of tables.
func (e *export) write(ctx context.Context, opts queries.Options) (int, error) {
	if err := os.MkdirAll(e.dir, 0o755); err != nil {
		return 0, fmt.Errorf("--export %s: %w", e.dir, err)
	}
	st, err := queries.Open(ctx, ":memory:", opts)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	for _, name := range e.files() {
		e.known[name] = true
	}
	names := make([]string, 0, len(e.known))
	for n := range e.known {
		names = append(names, n)
	}
	sort.Strings(names)
	// The manifest comes first: a run that fails half-way leaves files
	// it is allowed to replace the next time.
	if err := atomicfile.Write(filepath.Join(e.dir, exportManifest), func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(names, "\n")+"\n")
		return err
	}); err != nil {
		return 0, err
	}
	var csvs []atomicfile.File
	for _, t := range e.tables {
		csvs = append(csvs, atomicfile.File{Path: filepath.Join(e.dir, t.Name+".csv"), Write: t.WriteCSV})
	}
	if err := atomicfile.WriteAll(csvs...); err != nil {
		return 0, err
	}
	for _, t := range e.tables {
		cols := make([]queries.ExportColumn, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = queries.ExportColumn{Name: c, Kind: t.Kinds[i], Values: t.Column(i)}
		}
		path := filepath.Join(e.dir, t.Name+".parquet")
		if err := atomicfile.Produce(path, func(tmp string) error { return st.WriteParquet(ctx, cols, tmp) }); err != nil {
			return 0, err
		}
	}
	return len(e.tables), nil
}

// readManifest returns the names listed in dir's manifest; none when it
// does not exist.
func readManifest(dir string) (map[string]bool, error) {
	known := map[string]bool{}
	f, err := os.Open(filepath.Join(dir, exportManifest))
	if errors.Is(err, fs.ErrNotExist) {
		return known, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--export %s: %w", dir, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name := strings.TrimSpace(sc.Text()); name != "" && !strings.ContainsAny(name, `/\`) {
			known[name] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--export %s: %w", dir, err)
	}
	return known, nil
}
