package queries

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHoldDatabase is not a test: run by TestOpenWhileAnotherProcessHoldsIt
// in a child process, it opens the database named by FUNNEL_HOLD_DB, says
// "ready" and holds it until its stdin closes.
func TestHoldDatabase(t *testing.T) {
	path := os.Getenv("FUNNEL_HOLD_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	os.Stdout.WriteString("ready\n")
	io.Copy(io.Discard, os.Stdin)
}

// holdDatabase starts a child process holding path open read-write and
// returns when it has the file; the child ends when the test does.
func holdDatabase(t *testing.T, path string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldDatabase$")
	cmd.Env = append(os.Environ(), "FUNNEL_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "ready" {
				ready <- true
				io.Copy(io.Discard, stdout)
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("helper process ended without opening the database")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("helper process did not open the database within 60 s")
	}
}

// TestOpenWhileAnotherProcessHoldsIt checks the real DuckDB 1.5 lock error
// from a second process, for a writer and for a reader.
func TestOpenWhileAnotherProcessHoldsIt(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	path := filepath.Join(t.TempDir(), "held.duckdb")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, messyRequest()) // creates the file
	s.Close()
	holdDatabase(t, path)
	for _, opts := range []Options{{}, {ReadOnly: true}} {
		s, err := Open(context.Background(), path, opts)
		if err == nil {
			s.Close()
			t.Fatalf("Open(%+v) succeeded while another process holds the file", opts)
		}
		if !errors.Is(err, ErrInUse) {
			t.Fatalf("Open(%+v): %v, want ErrInUse", opts, err)
		}
		want := "database " + path + " is in use by another process"
		if opts.ReadOnly {
			want += "; read-only commands can run once the process writing to it (e.g. funnel load) finishes"
		}
		if err.Error() != want {
			t.Errorf("message %q, want %q", err.Error(), want)
		}
	}
}

// TestOpenErrorMapsLockMessage pins the text DuckDB 1.5 uses (seen in
// TestOpenWhileAnotherProcessHoldsIt) to ErrInUse.
func TestOpenErrorMapsLockMessage(t *testing.T) {
	msg := `IO Error: Could not set lock on file "/tmp/x.duckdb": Conflicting lock is held in /usr/bin/funnel (PID 4242). See also https://duckdb.org/docs/stable/connect/concurrency`
	err := openError("/tmp/x.duckdb", errors.New(msg))
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("err = %v", err)
	}
	if err := openError("x", errors.New("IO Error: permission denied")); errors.Is(err, ErrInUse) {
		t.Fatalf("a permission error mapped to ErrInUse")
	}
}
