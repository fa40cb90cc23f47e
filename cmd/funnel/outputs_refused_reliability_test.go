package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// snapshot describes what is at path, to compare before and after a run: a
// regular file's inode and the SHA-256 of its bytes, a link's destination and its target's bytes, a
// folder's names, a device's numbers, or its type; "absent" if nothing.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Lstat(path)
	if os.IsNotExist(err) {
		return "absent"
	}
	if err != nil {
		t.Fatal(err)
	}
	m := fi.Mode()
	switch {
	case m.IsRegular():
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("file inode %d sha256 %x", fi.Sys().(*syscall.Stat_t).Ino, sha256.Sum256(b))
	case m&os.ModeSymlink != 0:
		to, _ := os.Readlink(path)
		b, _ := os.ReadFile(path)
		return fmt.Sprintf("link to %s holding %q", to, b)
	case m.IsDir():
		entries, _ := os.ReadDir(path)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name()+":"+e.Type().String())
		}
		sort.Strings(names)
		return "folder " + strings.Join(names, ",")
	case m&os.ModeDevice != 0:
		return fmt.Sprintf("device %v %d", m.Type(), fi.Sys().(*syscall.Stat_t).Rdev)
	}
	return "special " + m.Type().String()
}

// TestOutputsRefused (issue 13, item 2): every command that writes files
// refuses an output that is the database or its .wal, an input of the same
// command (also as ./x, through a hard link or through a symbolic link),
// another output of the command, a directory, a FIFO, a device node or a
// symbolic link: exit 1, one error: line naming the flag and the path, and
// everything named left exactly as it was (same bytes, same inode, same
// type), with no temporary file left. The device node is made in the test
// folder with /dev/null's numbers (root only; never /dev/null itself).
func TestOutputsRefused(t *testing.T) {
	messy := messyArgs()
	for i, a := range messy {
		if !strings.HasPrefix(a, "--") {
			abs, err := filepath.Abs(a)
			if err != nil {
				t.Fatal(err)
			}
			messy[i] = abs
		}
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if code, _, stderr := runCLI(t, append([]string{"load", "--db", "w.duckdb"}, messy...)...); code != exitOK {
		t.Fatalf("load: %s", stderr)
	}
	write := func(name, content string) {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	write("model.yaml", "version: 1\nthreshold: 1\n")
	write("current.yaml", "version: 1\nthreshold: 2\n")
	write("in.csv", "lead_id,created_at,channel\nL1,2025-01-01,web\n")
	write("r.html", "old report\n")
	write("target.html", "link target\n")
	must(os.Link("model.yaml", "model-hard.csv"))
	must(os.Link("current.yaml", "current-hard.html"))
	must(os.Link("in.csv", "in-hard.parquet"))
	must(os.Link("r.html", "r-hard.json"))
	must(os.Symlink("s.csv", "model-link.yaml"))
	write("s.csv", "old scores\n")
	device := false
	for _, ext := range []string{"", ".csv", ".parquet"} {
		must(os.Mkdir("folder"+ext, 0o755))
		write(filepath.Join("folder"+ext, "inside"), "x")
		must(syscall.Mkfifo("pipe"+ext, 0o644))
		must(os.Symlink("target.html", "link"+ext))
		device = syscall.Mknod("null"+ext, syscall.S_IFCHR|0o666, 1<<8|3) == nil
	}
	if !device {
		t.Log("no device node cases: mknod needs root")
	}
	must(os.MkdirAll(filepath.Join("gdir"), 0o755))
	must(syscall.Mkfifo(filepath.Join("gdir", "leads.csv"), 0o644))
	must(os.MkdirAll(filepath.Join("ddir"), 0o755))
	must(os.Symlink("../target.html", filepath.Join("ddir", "report.html")))

	type c struct {
		name       string
		args       []string
		flag, path string // named at the start of the error line
		want       string // also in the error line
		keep       []string
	}
	var cases []c
	kinds := map[string]string{"folder": "is a directory", "pipe": "is a named pipe (FIFO)", "link": "is a symbolic link", "null": "is a character device"}
	special := func(command string, base []string, flag, ext string) {
		for _, k := range []string{"folder", "pipe", "link", "null"} {
			if k == "null" && !device {
				continue
			}
			p := k + ext
			cases = append(cases, c{command + " " + flag + " " + k, append(append([]string{}, base...), flag, p), flag, p, kinds[k], []string{p, "target.html"}})
		}
	}
	report := []string{"report", "--db", "w.duckdb"}
	cases = append(cases,
		c{"report --out the database", append(report, "--out", "w.duckdb"), "--out", "w.duckdb", "is the database given to --db", []string{"w.duckdb"}},
		c{"report --json ./the database", append(report, "--json", "./w.duckdb"), "--json", "./w.duckdb", "is the database given to --db", []string{"w.duckdb"}},
		c{"report --json the wal", append(report, "--json", "w.duckdb.wal"), "--json", "w.duckdb.wal", "is the write-ahead log of the database given to --db", []string{"w.duckdb", "w.duckdb.wal"}},
		c{"report --out x --json ./x", append(report, "--json", "r.html", "--out", "./r.html"), "--out", "./r.html", "is the same file as --json r.html", []string{"r.html"}},
		c{"report --out and --json hard links", append(report, "--json", "r-hard.json", "--out", "r.html"), "--out", "r.html", "is the same file as --json r-hard.json", []string{"r.html", "r-hard.json"}},
		c{"report --out x --json sub/../x (new)", append(report, "--json", "new.html", "--out", "folder/../new.html"), "--out", "folder/../new.html", "is the same file as --json new.html", []string{"new.html"}},
	)
	special("report", report, "--out", "")
	calibrate := []string{"calibrate", "--db", "w.duckdb", "--current", "current.yaml"}
	cases = append(cases,
		c{"calibrate --out the database", append(calibrate, "--out", "w.duckdb"), "--out", "w.duckdb", "is the database given to --db", []string{"w.duckdb"}},
		c{"calibrate --out ./--current", append(calibrate, "--out", "./current.yaml"), "--out", "./current.yaml", "is the file given to --current", []string{"current.yaml"}},
		c{"calibrate --evidence hard link of --current", append(calibrate, "--out", "m.yaml", "--evidence", "current-hard.html"), "--evidence", "current-hard.html", "is the file given to --current", []string{"current.yaml", "m.yaml"}},
		c{"calibrate --out x --evidence x", append(calibrate, "--out", "m.yaml", "--evidence", "m.yaml"), "--evidence", "m.yaml", "is the same file as --out m.yaml", []string{"m.yaml"}},
	)
	special("calibrate", append(calibrate, "--out", "m.yaml"), "--json", "")
	score := []string{"score", "--db", "w.duckdb", "--model", "model.yaml"}
	cases = append(cases,
		c{"score --out hard link of --model", append(score, "--out", "model-hard.csv"), "--out", "model-hard.csv", "is the file given to --model", []string{"model.yaml", "model-hard.csv"}},
		c{"score --model a symbolic link to --out", []string{"score", "--db", "w.duckdb", "--model", "model-link.yaml", "--out", "s.csv"}, "--out", "s.csv", "is the file given to --model", []string{"s.csv", "model-link.yaml"}},
	)
	special("score", score, "--out", ".csv")
	convert := []string{"convert", "--in", "in.csv"}
	cases = append(cases,
		c{"convert --out hard link of --in", append(convert, "--out", "in-hard.parquet"), "--out", "in-hard.parquet", "is the file given to --in", []string{"in.csv"}},
	)
	special("convert", convert, "--out", ".parquet")
	cases = append(cases,
		c{"gen --out a file", []string{"gen", "--out", "in.csv", "--leads", "10"}, "--out", "in.csv", "is not a directory", []string{"in.csv"}},
		c{"gen --out a folder holding a FIFO leads.csv", []string{"gen", "--out", "gdir", "--leads", "10"}, "--out", filepath.Join("gdir", "leads.csv"), "is a named pipe (FIFO)", []string{"gdir", filepath.Join("gdir", "leads.csv")}},
		c{"demo --dir holding a symbolic link report.html", []string{"demo", "--dir", "ddir", "--leads", "10"}, "--dir", filepath.Join("ddir", "report.html"), "is a symbolic link", []string{"ddir", filepath.Join("ddir", "report.html"), "target.html"}},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.path == "w.duckdb.wal" {
				write("w.duckdb.wal", "not really a log\n")
				defer os.Remove("w.duckdb.wal")
			}
			before := map[string]string{}
			for _, p := range tc.keep {
				before[p] = snapshot(t, p)
			}
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitFailure {
				t.Errorf("exit %d, want 1; stderr %q", code, stderr)
			}
			prefix := "error: " + tc.flag + " " + tc.path + " "
			if !strings.HasPrefix(stderr, prefix) || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line starting %q containing %q", stderr, prefix, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			for _, p := range tc.keep {
				if after := snapshot(t, p); after != before[p] {
					t.Errorf("%s changed: %s → %s", p, before[p], after)
				}
			}
			for _, d := range []string{".", "gdir", "ddir"} {
				if names := leftovers(t, d); len(names) > 0 {
					t.Errorf("left %v in %s", names, d)
				}
			}
		})
	}
	// Nothing a case named as new was created.
	for _, p := range []string{"new.html", "m.yaml", "data"} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("a refused run created %s", p)
		}
	}
}

// TestOutputsHelp: every command that writes files says in --help what it
// does with a symbolic link (refuses it) and which outputs it refuses.
func TestOutputsHelp(t *testing.T) {
	for _, command := range []string{"report", "calibrate", "score", "convert", "gen", "demo"} {
		code, stdout, _ := runCLI(t, command, "--help")
		text := strings.Join(strings.Fields(stdout), " ")
		if code != exitOK || !strings.Contains(text, "a symbolic link is never written through") ||
			!strings.Contains(text, "the database (or its .wal), an input of the command, another output") {
			t.Errorf("funnel %s --help (exit %d) does not say how outputs are checked:\n%s", command, code, stdout)
		}
	}
}
