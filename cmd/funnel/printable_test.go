package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain name", "plain name"},
		{"café ☕ 日本 \\ back\\slash", "café ☕ 日本 \\ back\\slash"},
		{"evil\x1b]0;pwned\x07", `evil\x1b]0;pwned\a`},
		{"a\rb\nc\td\x00e\x7f", `a\rb\nc\td\x00e\x7f`},
		{"csi\u009b31m", `csi\u009b31m`},
		{"rtl\u202eabc\u2066x\u2069", `rtl\u202eabc\u2066x\u2069`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"ls\u2028ps\u2029", `ls\u2028ps\u2029`},
	} {
		if got := printable(c.in); got != c.want {
			t.Errorf("printable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// rawControl reports the first control character (C0 other than newline,
// DEL, C1, bidi control) or invalid byte in s, as printed to a terminal.
func rawControl(s string) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return r, true
		}
		if (r < 0x20 && r != '\n') || r == 0x7f || isHiddenControl(r) {
			return r, true
		}
	}
	return 0, false
}

// TestHostileNamesEscapedOnTerminal (issue 13, item 6): names holding
// terminal escape sequences (ESC ]0; … BEL sets a terminal's title), C1
// controls and bidi overrides go through load into the workspace as written
// and come out of report and status escaped, while report.json keeps them
// exactly. The error line escapes a hostile path too.
func TestHostileNamesEscapedOnTerminal(t *testing.T) {
	dir := t.TempDir()
	osc, csi, rtl := "evil\x1b]0;pwned\x07", "c1\u009b31m", "rtl\u202eabc"
	orphan := "X\x1b[2J"
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	leads := write("leads.csv", "lead_id,created_at,channel\n"+
		"L1,2024-01-01,\""+osc+"\"\nL2,2024-01-02,\""+csi+"\"\nL3,2024-01-03,\""+rtl+"\"\nL4,2024-01-04,plain\n")
	events := write("events.csv", "lead_id,occurred_at,action\nL1,2024-01-02,visit\n\""+orphan+"\",2024-01-05,visit\n")
	db := filepath.Join(dir, "w.duckdb")
	if code, _, stderr := runCLI(t, "load", "--db", db, "--leads", leads, "--events", events); code != exitOK {
		t.Fatalf("load: %s", stderr)
	}
	js := filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, "report", "--db", db, "--json", js)
	if code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	for _, want := range []string{`evil\x1b]0;pwned\a`, `c1\u009b31m`, `rtl\u202eabc`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report summary lacks %s:\n%s", want, stdout)
		}
	}
	if r, ok := rawControl(stdout + stderr); ok {
		t.Errorf("report printed the raw control %U:\n%q", r, stdout)
	}
	var rep struct {
		ByChannel []struct {
			Channel string `json:"channel"`
		} `json:"by_channel"`
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range rep.ByChannel {
		got[c.Channel] = true
	}
	for _, name := range []string{osc, csi, rtl, "plain"} {
		if !got[name] {
			t.Errorf("report.json lacks channel %q exactly as loaded; has %q", name, rep.ByChannel)
		}
	}
	code, stdout, stderr = runCLI(t, "status", "--db", db)
	if code != exitOK || !strings.Contains(stdout, `X\x1b[2J`) {
		t.Errorf("status (exit %d) does not show the orphan lead escaped:\n%s%s", code, stdout, stderr)
	}
	if r, ok := rawControl(stdout + stderr); ok {
		t.Errorf("status printed the raw control %U:\n%q", r, stdout)
	}
	code, _, stderr = runCLI(t, "report", "--db", filepath.Join(dir, "no\x1b]0;x\x07.duckdb"))
	if code != exitFailure || !strings.Contains(stderr, `no\x1b]0;x\a.duckdb`) {
		t.Errorf("error line (exit %d) does not show the path escaped: %q", code, stderr)
	}
	if r, ok := rawControl(stderr); ok {
		t.Errorf("error line holds the raw control %U: %q", r, stderr)
	}
}
