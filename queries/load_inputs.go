package queries

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// inputPaths returns the files one argument of a load names: the file
// itself; for a folder, the files in it (not in subfolders) whose names
// have an extension a load reads, in name order, hidden ones left out; for
// a glob pattern (holding *, ? or [) that is not itself a file, every match
// in name order. A folder without such files and a pattern matching nothing
// are InputErrors.
func inputPaths(arg string) ([]string, error) {
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		return folderFiles(arg)
	case err == nil || !strings.ContainsAny(arg, "*?["):
		return []string{arg}, nil
	}
	matches, err := filepath.Glob(arg)
	if err != nil {
		return nil, &InputError{File: arg, Problem: fmt.Sprintf("bad file pattern: %v", err)}
	}
	if len(matches) == 0 {
		return nil, &InputError{File: arg, Problem: "no file matches this pattern"}
	}
	sort.Strings(matches)
	return matches, nil
}

// folderFiles lists the loadable files of folder dir, in name order.
func folderFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read folder %s: %w", dir, err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		if _, _, err := formatOf(name); err != nil {
			continue
		}
		out = append(out, filepath.Join(dir, name))
	}
	if len(out) == 0 {
		return nil, &InputError{File: dir, Problem: "folder holds no file to load (.csv, .tsv, .txt, .parquet, .json, .ndjson, .jsonl, text formats optionally .gz)"}
	}
	return out, nil
}
