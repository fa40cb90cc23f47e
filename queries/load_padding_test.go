package queries

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPaddingScan checks which files may hold a value with a space at its
// start or end, for every way of cutting the file into two and three
// chunks (checkText reads a file a mebibyte at a time).
func TestPaddingScan(t *testing.T) {
	cases := []struct {
		file   string
		padded bool
	}{
		{"a,b\n1,2\n", false},
		{"a,b\n1 x,2024-01-01 10:00\n", false}, // spaces inside values only
		{"a,b\n 1,2\n", true},                  // at a line's start
		{"a,b\n1 ,2\n", true},                  // before a delimiter
		{"a,b\n1, 2\n", true},                  // after a delimiter
		{"a,b\n1,2 \n", true},                  // before a line break
		{"a,b\r\n1,2 \r\n", true},              // before CR LF
		{"a,b\n1,2 ", true},                    // at the end of the file
		{" a,b\n1,2\n", true},                  // at the start of the file
		{"a;b\n1 ;2\n", true},                  // other delimiters
		{"a\tb\n1\t 2\n", true},
		{"a|b\n1| 2\n", true},
		{"a,b\n\" 1\",2\n", true}, // inside quotes
		{"a,b\n'1 ',2\n", true},
		{"a,b\n1,\n", false}, // an empty field is NULL, not padded
		{"a,b\nx  y,2\n", false},
	}
	for _, c := range cases {
		for i := 0; i <= len(c.file); i++ {
			for j := i; j <= len(c.file); j++ {
				s := newPaddingScan()
				s.add([]byte(c.file[:i]))
				s.add([]byte(c.file[i:j]))
				s.add([]byte(c.file[j:]))
				if got := s.end(); got != c.padded {
					t.Fatalf("%q cut at %d and %d: padded %v, want %v", c.file, i, j, got, c.padded)
				}
			}
		}
	}
}

// TestUnpaddedColumnsReadAsTheyAre loads the same leads from a file whose
// values carry no surrounding spaces and from one whose values do: the
// first is staged without funnel_text, the second with it, and both give
// the same rows.
func TestUnpaddedColumnsReadAsTheyAre(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	dir := t.TempDir()
	files := map[string]string{
		"plain.csv":  "lead_id,created_at,channel,title\nL1,2024-01-01 10:00:00,web,VP Sales\nL2,2024-01-02,,cto\n",
		"padded.csv": "lead_id,created_at,channel,title\nL1 ,2024-01-01 10:00:00, web,VP Sales\nL2,2024-01-02,  ,cto \n",
	}
	rows := map[string][]string{}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := inspectFile(ctx, KindLeads, path)
		if err != nil {
			t.Fatal(err)
		}
		sf, stage, _, err := prepareStage(ctx, conn, f, columnSpec{}, true)
		if err != nil {
			t.Fatal(err)
		}
		if trims := strings.Contains(stage, `funnel_text("lead_id")`); trims != (name == "padded.csv") {
			t.Errorf("%s: lead_id read through funnel_text: %v", name, trims)
		}
		if _, err := conn.ExecContext(ctx, stage); err != nil {
			t.Fatal(err)
		}
		r, err := conn.QueryContext(ctx, "SELECT concat_ws('|', lead_id, created_at, channel, title, _bad IS NULL) FROM "+sf.table+" ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var v string
			if err := r.Scan(&v); err != nil {
				t.Fatal(err)
			}
			rows[name] = append(rows[name], v)
		}
		r.Close()
	}
	want := []string{"L1|2024-01-01 10:00:00|web|VP Sales|true", "L2|2024-01-02 00:00:00|(none)|cto|true"}
	for name, got := range rows {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}
