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
	stage, err := os.MkdirTemp(dir, ".funnel-export-tmp-")
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	defer os.RemoveAll(stage)
	if err := stageTables(ctx, stage, tables); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	// The manifest first: a run stopped between the moves below leaves
	// files the next run may replace.
	for _, n := range names {
		owned[n] = true
	}
	if err := writeManifest(filepath.Join(dir, exportManifest), owned); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	var written []string
	for _, n := range names {
		if err := os.Rename(filepath.Join(stage, n), filepath.Join(dir, n)); err != nil {
			return written, fmt.Errorf("%s %s: %w", flag, dir, err)
		}
		written = append(written, filepath.Join(dir, n))
	}
	return written, nil
}

// stageTables writes each table as NDJSON into stage and copies it to CSV
// and Parquet there with DuckDB (an in-memory engine; the workspace is not
// touched).
func stageTables(ctx context.Context, stage string, tables []reports.Table) error {
	st, err := queries.Open(ctx, ":memory:", queries.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	for _, t := range tables {
		nd := filepath.Join(stage, t.Name+".ndjson")
		f, err := os.Create(nd)
		if err != nil {
			return err
		}
		werr := t.WriteNDJSON(f)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
		csvPath, parquetPath := filepath.Join(stage, t.Name+".csv"), filepath.Join(stage, t.Name+".parquet")
		for _, p := range []string{csvPath, parquetPath} {
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				return err
			}
		}
		if err := st.ExportTable(ctx, nd, csvPath, parquetPath); err != nil {
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
