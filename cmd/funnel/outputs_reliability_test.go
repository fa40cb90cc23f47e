package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputsGoThroughAtomicfile (issue 7, point 7): no code of the CLI
// creates or writes a file itself; outputs are written through
// internal/atomicfile (temporary file in the same folder, renamed when
// complete), or by DuckDB COPY into a temporary path that is then moved
// into place (score's Parquet, convert).
func TestOutputsGoThroughAtomicfile(t *testing.T) {
	forbidden := map[string]bool{"os.Create": true, "os.WriteFile": true, "os.OpenFile": true, "ioutil.WriteFile": true, "os.Rename": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var checked int
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && forbidden[pkg.Name+"."+sel.Sel.Name] {
				t.Errorf("%s: %s.%s writes a file directly; write outputs with atomicfile.Write", fset.Position(sel.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
	if checked < 8 {
		t.Fatalf("checked %d files; expected the subcommand files of cmd/funnel", checked)
	}
}

// TestFailedRunKeepsOutputs (issue 7, point 7): a run that fails after
// opening the workspace — in its computation, or in writing one of its
// outputs — leaves every existing output file as it was and creates none,
// with no temporary file left beside them.
func TestFailedRunKeepsOutputs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "m.duckdb")
	// The messy fixture has 3 leads: far too few to calibrate.
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", db}, messyArgs()...)...); code != exitOK {
		t.Fatalf("load: %s", stderr)
	}
	// A workspace that calibrates: the outputs are computed, and writing
	// them fails.
	big := generatedDB(t, 6000)
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(dir, "unknown.yaml")
	if err := os.WriteFile(unknown, []byte("version: 1\nthreshold: 10\nactions:\n  no_such_action: {points: 5}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notCSV := filepath.Join(dir, "broken.csv")
	if err := os.WriteFile(notCSV, []byte("lead_id,created_at\n\xff\xfe\x00\x01garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := func(name string) string { return filepath.Join(out, name) }
	for _, c := range []struct {
		name     string
		args     []string
		existing []string // outputs present before, which must keep their content
		absent   []string // outputs not present before, which must not appear
	}{
		{"calibrate without enough history",
			[]string{"calibrate", "--db", db, "--out", p("model.yaml"), "--json", p("calibration.json"), "--evidence", p("calibration.html")},
			[]string{p("model.yaml"), p("calibration.html")}, []string{p("calibration.json")}},
		{"score with a model naming an unknown action",
			[]string{"score", "--db", db, "--model", unknown, "--out", p("scores.parquet")},
			[]string{p("scores.parquet")}, nil},
		{"score to a new CSV",
			[]string{"score", "--db", db, "--model", unknown, "--out", p("new.csv")},
			nil, []string{p("new.csv")}},
		{"convert a file that is not CSV",
			[]string{"convert", "--in", notCSV, "--out", p("leads.parquet")},
			[]string{p("leads.parquet")}, nil},
		{"report whose --out folder is missing",
			[]string{"report", "--db", big, "--json", p("report.json"), "--out", filepath.Join(out, "missing", "report.html")},
			[]string{p("report.json")}, nil},
		{"calibrate whose --evidence folder is missing",
			[]string{"calibrate", "--db", big, "--out", p("model.yaml"), "--json", p("calibration.json"), "--evidence", filepath.Join(out, "missing", "calibration.html"), "--half-life", "14", "--l2", "1"},
			[]string{p("model.yaml")}, []string{p("calibration.json")}},
		{"report with a one-stage funnel",
			[]string{"report", "--db", db, "--out", p("report.html"), "--json", p("report.json"), "--stages", "lead"},
			[]string{p("report.html")}, []string{p("report.json")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := map[string]string{}
			for _, f := range c.existing {
				content := "kept: " + filepath.Base(f) + "\n"
				if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				before[f] = content
			}
			code, _, stderr := runCLI(t, c.args...)
			if code == exitOK {
				t.Fatalf("%s succeeded; the case must fail to test anything", c.args[0])
			}
			t.Logf("exit %d: %s", code, strings.TrimSpace(stderr))
			if strings.Contains(c.name, "folder is missing") && !strings.Contains(stderr, "no such file or directory") {
				t.Errorf("failed for another reason than the missing folder: %s", stderr)
			}
			for f, content := range before {
				if b, err := os.ReadFile(f); err != nil || string(b) != content {
					t.Errorf("%s changed by the failed run: %q, %v", filepath.Base(f), b, err)
				}
			}
			for _, f := range c.absent {
				if _, err := os.Stat(f); err == nil {
					t.Errorf("the failed run created %s", filepath.Base(f))
				}
			}
			if names := leftovers(t, out); len(names) > 0 {
				t.Errorf("the failed run left %v", names)
			}
			for f := range before {
				os.Remove(f)
			}
		})
	}
}
