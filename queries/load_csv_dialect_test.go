package queries

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestPinnedDialectReadsAsSniffed reads files of several dialects twice
// with the loader's CSV reader: once sniffed by DuckDB as it reads, once
// with the dialect an earlier sniff_csv found given as options
// (csvDialect.readOptions). The rows must be the same, and the options
// must be given (exact) for each of these files.
func TestPinnedDialectReadsAsSniffed(t *testing.T) {
	files := map[string]string{
		"plain.csv":     "lead_id,channel\nL1,web\nL2,ads\n",
		"quoted.csv":    "lead_id,channel\n\"L1\",\"web, paid\"\nL2,\"say \"\"hi\"\"\"\n",
		"semicolon.csv": "lead_id;channel\nL1;\"web; paid\"\nL2;x\n",
		"backslash.csv": "lead_id,channel\n\"L1\",\"a\\\"b\"\nL2,c\n",
		"tabs.tsv":      "lead_id\tchannel\nL1\tweb paid\nL2\t\"x\ty\"\n",
		"single.csv":    "lead_id,channel\nL1,'web, paid'\nL2,x\n",
		"crlf.csv":      "lead_id,channel\r\nL1,web\r\nL2,ads\r\n",
	}
	s := openTestStore(t)
	ctx := context.Background()
	dir := t.TempDir()
	const everyRow = "SELECT concat_ws('|', *COLUMNS(*)) FROM (/*SOURCE*/) ORDER BY 1"
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := inspectFile(ctx, KindLeads, path)
		if err != nil {
			t.Fatal(err)
		}
		sniffed := textRows(t, s, withSource(everyRow, f))
		d, err := sniffCSV(ctx, s.db, f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d.readOptions() == "" {
			t.Errorf("%s: dialect %+v is not given back to the reader", name, d)
			continue
		}
		f.dialect = d
		pinned := textRows(t, s, withSource(everyRow, f))
		if !reflect.DeepEqual(pinned, sniffed) || len(sniffed) != 2 {
			t.Errorf("%s with %s: %q, sniffed %q", name, d.readOptions(), pinned, sniffed)
		}
	}
}

// TestReadOptions checks the options written for a dialect, and that a
// dialect not known exactly gives none.
func TestReadOptions(t *testing.T) {
	d := csvDialect{delim: ';', quote: '"', escape: '\\', skip: 2, exact: true}
	want := `, delim = ';', quote = '"', escape = '\', comment = '', skip = 2`
	if got := d.readOptions(); got != want {
		t.Errorf("readOptions = %s, want %s", got, want)
	}
	d.exact = false
	if got := d.readOptions(); got != "" {
		t.Errorf("readOptions of an inexact dialect = %s, want nothing", got)
	}
}
