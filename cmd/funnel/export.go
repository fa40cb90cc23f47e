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

// exportManifest is the file in an export folder that lists, one a line,
// the files funnel wrote there: only those may be written again.
const exportManifest = ".funnel-export"

// exportHelp is the paragraph on --export in the help of the commands that
// have it.
const exportHelp = `
--export DIR writes every table of the JSON output into DIR, each twice: as
NAME.csv (with a header line, for spreadsheets) and as NAME.parquet (typed,
for BI tools). Nested lists become their own tables (by_channel_conversion,
by_action_lift …), their rows led by the key of the row they belong to.
DIR is created if missing. A file in DIR that funnel did not write there
(DIR/.funnel-export lists those it did) is never overwritten: the command
stops with exit code 1 before writing anything.`

// exportResult writes every table of result's JSON form into dir with
// writeExport, as --export asks; nothing when dir is empty.
func exportResult(ctx context.Context, dir string, result any) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	tables, err := reports.Tables(result)
	if err != nil {
		return nil, err
	}
	return writeExport(ctx, "--export", dir, tables)
}

// writeExport writes every table of tables as NAME.csv and NAME.parquet
// into dir (created if missing) and returns the paths written. flag names
// the option in messages. Files are staged in a temporary folder inside
// dir and moved into place only when every one was written; an existing
// file that the manifest does not list is refused before any work.
func writeExport(ctx context.Context, flag, dir string, tables []reports.Table) ([]string, error) {
	if err := checkOutputDir(flag, dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	owned, err := readManifest(filepath.Join(dir, exportManifest))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	var names []string
	for _, t := range tables {
		if t.Name == "" || strings.ContainsAny(t.Name, `/\`) || strings.HasPrefix(t.Name, ".") {
			return nil, fmt.Errorf("%s: table name %q cannot be a file name", flag, t.Name)
		}
		names = append(names, t.Name+".csv", t.Name+".parquet")
	}
	for _, n := range names {
		target := filepath.Join(dir, n)
		if err := atomicfile.CheckTarget(target); err != nil {
			return nil, fmt.Errorf("%s %w", flag, err)
		}
		if _, err := os.Lstat(target); err == nil && !owned[n] {
			return nil, fmt.Errorf("%s %s: %s exists and was not written by funnel; funnel never overwrites a file it did not write: "+
				"choose another folder, or move the file away", flag, dir, n)
		}
	}
	// The manifest first: a run stopped while the files below are renamed
	// into place leaves files the next run may replace.
	for _, n := range names {
		owned[n] = true
	}
	if err := writeManifest(filepath.Join(dir, exportManifest), owned); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	targets := make([]string, len(names))
	for i, n := range names {
		targets[i] = filepath.Join(dir, n)
	}
	// Every file is produced at its temporary path and all are renamed into
	// place only when every one was written.
	if err := atomicfile.ProduceAll(targets, func(tmps []string) error {
		return exportTables(ctx, dir, tables, tmps)
	}); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	return targets, nil
}

// exportTables writes table k as CSV at tmps[2k] and as Parquet at
// tmps[2k+1]: its rows go to a scratch NDJSON file in dir, which DuckDB (an
// in-memory engine; the workspace is not touched) copies to both.
func exportTables(ctx context.Context, dir string, tables []reports.Table, tmps []string) error {
	st, err := queries.Open(ctx, ":memory:", queries.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	for k, t := range tables {
		err := atomicfile.WithScratch(filepath.Join(dir, t.Name+".ndjson"), t.WriteNDJSON, func(nd string) error {
			return st.ExportTable(ctx, nd, tmps[2*k], tmps[2*k+1])
		})
		if err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	return nil
}

// readManifest returns the file names the manifest at path lists; none
// when it does not exist.
func readManifest(path string) (map[string]bool, error) {
	out := map[string]bool{}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if n := strings.TrimSpace(sc.Text()); n != "" {
			out[n] = true
		}
	}
	return out, sc.Err()
}

// writeManifest writes the names, sorted, one a line.
func writeManifest(path string, names map[string]bool) error {
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(list, "\n")+"\n")
		return err
	})
}
