package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs the CLI in-process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUnknownFlagIsUsageError(t *testing.T) {
	code, _, stderr := runCLI(t, "status", "--no-such-flag")
	if code != exitUsage {
		t.Fatalf("exit = %d, want %d (stderr %q)", code, exitUsage, stderr)
	}
	if !strings.HasPrefix(stderr, "error: ") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("stderr = %q, want one error: line", stderr)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	code, _, _ := runCLI(t, "frobnicate")
	if code != exitUsage {
		t.Fatalf("exit = %d, want %d", code, exitUsage)
	}
}

func TestHelpListsCommands(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	if code != exitOK {
		t.Fatalf("exit = %d", code)
	}
	for _, c := range []string{"demo", "gen", "load", "status", "report", "calibrate", "score"} {
		if !strings.Contains(out, c) {
			t.Errorf("--help does not mention %s", c)
		}
	}
}

func TestGlobalStoreFlagsReachStoreOptions(t *testing.T) {
	e := &env{}
	root := newRootCmd(e)
	root.SetArgs([]string{"status", "--help", "--memory-limit", "2GB", "--temp-dir", "/tmp/spill"})
	root.SetOut(&bytes.Buffer{})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	got := e.storeOptions(true)
	if got.MemoryLimit != "2GB" || got.TempDir != "/tmp/spill" || !got.ReadOnly {
		t.Fatalf("storeOptions = %+v", got)
	}
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain",
		"a\nb":  "a — b",
		"convert x.csv: Invalid Input Error: CSV Error on Line: 1\nInvalid unicode detected.\n\nPossible Solution: …\n  file = x.csv": "convert x.csv: Invalid Input Error: CSV Error on Line: 1 — Invalid unicode detected.",
		"  padded  \n": "padded",
		`value "a  b"`: `value "a  b"`,
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
