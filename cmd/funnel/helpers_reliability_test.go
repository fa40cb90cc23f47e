package main

// Helpers of the reliability tests (issue 7): the funnel binary built once
// per test run, child processes whose stderr is a terminal (so funnel prints
// its progress steps and a test can act at a known point of a run), and row
// counts read through `funnel status --json` in a separate process.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// builtFunnel is the binary built by funnelBinary, shared by the tests of
// one run and removed by TestMain.
var builtFunnel struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtFunnel.dir != "" {
		os.RemoveAll(builtFunnel.dir)
	}
	os.Exit(code)
}

// funnelBinary builds ./cmd/funnel once per test run and returns its path.
func funnelBinary(t *testing.T) string {
	t.Helper()
	builtFunnel.once.Do(func() {
		dir, err := os.MkdirTemp("", "funnel-reliability-")
		if err != nil {
			builtFunnel.err = err
			return
		}
		builtFunnel.dir = dir
		bin := filepath.Join(dir, "funnel")
		out, err := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", bin, ".").CombinedOutput()
		if err != nil {
			builtFunnel.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		builtFunnel.path = bin
	})
	if builtFunnel.err != nil {
		t.Fatal(builtFunnel.err)
	}
	return builtFunnel.path
}

// proc is a running funnel process.
type proc struct {
	cmd     *exec.Cmd
	started time.Time
	stdout  bytes.Buffer
	mu      sync.Mutex
	stderr  bytes.Buffer // guarded by mu; "\r\n" of the terminal made "\n"
	done    chan struct{}
	code    int           // exit code, -1 when killed by a signal; set when done closes
	elapsed time.Duration // from start to exit; set when done closes
	err     error         // from Wait when it is not an exit status
}

// startFunnel starts bin with args. With tty, its stderr is a pseudo
// terminal, so funnel prints progress there as it would to a person.
func startFunnel(t *testing.T, bin string, tty bool, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stdout = &p.stdout
	var master *os.File
	var copied chan struct{}
	if tty {
		m, slave, err := openPTY()
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("no pseudo terminal in CI: %v", err)
			}
			t.Skipf("no pseudo terminal here: %v", err)
		}
		master = m
		p.cmd.Stderr = slave
		defer slave.Close()
		copied = make(chan struct{})
		go func() {
			defer close(copied)
			buf := make([]byte, 4096)
			for {
				n, err := master.Read(buf)
				if n > 0 {
					p.mu.Lock()
					p.stderr.Write(bytes.ReplaceAll(buf[:n], []byte("\r\n"), []byte("\n")))
					p.mu.Unlock()
				}
				if err != nil {
					return
				}
			}
		}()
	} else {
		p.cmd.Stderr = lockedWriter{p}
	}
	if err := p.cmd.Start(); err != nil {
		if master != nil {
			master.Close()
		}
		t.Fatal(err)
	}
	p.started = time.Now()
	go func() {
		err := p.cmd.Wait()
		p.elapsed = time.Since(p.started)
		if copied != nil {
			<-copied // the terminal reads EIO once the child's side is closed
			master.Close()
		}
		p.code = p.cmd.ProcessState.ExitCode()
		if _, ok := err.(*exec.ExitError); !ok {
			p.err = err
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// lockedWriter appends to a proc's stderr under its lock.
type lockedWriter struct{ p *proc }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.stderr.Write(b)
}

// stderrText is what the process has written to stderr so far.
func (p *proc) stderrText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// waitLine waits until a line of stderr satisfies match and reports whether
// one did before the process ended or timeout passed.
func (p *proc) waitLine(match func(line string) bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		finished := p.exited()
		for _, line := range strings.Split(p.stderrText(), "\n") {
			if match(line) {
				return true
			}
		}
		if finished {
			return false
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits up to timeout for the process to end and fails the test if it
// does not.
func (p *proc) wait(t *testing.T, timeout time.Duration) {
	t.Helper()
	select {
	case <-p.done:
		if p.err != nil {
			t.Fatalf("%v: %v", p.cmd.Args, p.err)
		}
	case <-time.After(timeout):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%v did not end within %v; stderr:\n%s", p.cmd.Args, timeout, p.stderrText())
	}
}

// signal sends sig to the process unless it has already ended.
func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && !p.exited() {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// runFunnel runs bin to completion (at most timeout) and returns its exit
// code, stdout and stderr.
func runFunnel(t *testing.T, bin string, timeout time.Duration, args ...string) (int, string, string) {
	t.Helper()
	p := startFunnel(t, bin, false, args...)
	p.wait(t, timeout)
	return p.code, p.stdout.String(), p.stderrText()
}

// openPTY opens a new pseudo terminal pair: master is read by the test,
// slave given to the child as its stderr.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlock pty: %w", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("pty number: %w", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}

// dataset is the four files of `funnel gen`.
type dataset struct{ leads, events, stages, outcomes string }

// loadArgs are the load flags naming the dataset's files.
func (d dataset) loadArgs() []string {
	return []string{"--leads", d.leads, "--events", d.events, "--stages", d.stages, "--outcomes", d.outcomes}
}

// genDataset runs `funnel gen` into dir.
func genDataset(t *testing.T, bin, dir string, leads int, seed int) dataset {
	t.Helper()
	code, _, stderr := runFunnel(t, bin, 2*time.Minute, "gen", "--out", dir, "--leads", fmt.Sprint(leads), "--seed", fmt.Sprint(seed))
	if code != exitOK {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	return dataset{
		leads:    filepath.Join(dir, "leads.csv"),
		events:   filepath.Join(dir, "events.csv"),
		stages:   filepath.Join(dir, "stages.csv"),
		outcomes: filepath.Join(dir, "outcomes.csv"),
	}
}

// mustLoad runs `funnel load` of d into db and fails the test unless it
// succeeds.
func mustLoad(t *testing.T, bin, db string, d dataset) {
	t.Helper()
	code, _, stderr := runFunnel(t, bin, 5*time.Minute, append([]string{"load", "--db", db}, d.loadArgs()...)...)
	if code != exitOK {
		t.Fatalf("load into %s: exit %d: %s", db, code, stderr)
	}
}

// counts is what `funnel status --json` says a database holds.
type counts struct {
	Leads, Events, Stages, Outcomes, LeadAttributes, LoadFiles int64
}

func (c counts) String() string {
	return fmt.Sprintf("leads %d, events %d, stages %d, outcomes %d, attributes %d, files in load log %d",
		c.Leads, c.Events, c.Stages, c.Outcomes, c.LeadAttributes, c.LoadFiles)
}

// dbCounts runs `funnel status --json` on db in its own process.
func dbCounts(t *testing.T, bin, db string) counts {
	t.Helper()
	code, stdout, stderr := runFunnel(t, bin, 2*time.Minute, "status", "--db", db, "--json")
	if code != exitOK {
		t.Fatalf("status %s: exit %d: %s", db, code, stderr)
	}
	var st struct {
		Leads          int64             `json:"leads"`
		Events         int64             `json:"events"`
		Stages         int64             `json:"stages"`
		Outcomes       int64             `json:"outcomes"`
		LeadAttributes int64             `json:"lead_attributes"`
		Loads          []json.RawMessage `json:"loads"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	return counts{st.Leads, st.Events, st.Stages, st.Outcomes, st.LeadAttributes, int64(len(st.Loads))}
}

// copyFile copies src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// leftovers lists the files in dir whose names contain ".tmp" or start
// with ".funnel-": temporary files an interrupted write left behind.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".funnel-") {
			names = append(names, e.Name())
		}
	}
	return names
}
