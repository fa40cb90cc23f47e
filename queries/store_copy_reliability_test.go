package queries

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// copiesIn lists the names in dir that a load's working copy of a
// workspace leaves while it runs (.NAME.load-*, with its .wal and .tmp).
func copiesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), copyInfix) {
			names = append(names, e.Name())
		}
	}
	return names
}

// inode is the inode number of the file at path.
func inode(t *testing.T, path string) uint64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Sys().(*syscall.Stat_t).Ino
}

// TestRefusedFirstLoadLeavesNoFile (issue 13, item 8): with DeferCreate (as
// funnel load opens), the first load into a new workspace, refused for a
// bad file, creates no file at all (nor a working copy); the same store then
// takes a good load, which creates it.
func TestRefusedFirstLoadLeavesNoFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "new.duckdb")
	bad := writeTestFile(t, dir, "bad.csv", "lead_id,created_at,channel\nL1,2024-01-01,web\n,2024-01-02,web\n")
	s, err := Open(ctx, path, Options{DeferCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a read-write open of a missing file created it: %v", err)
	}
	_, err = s.Load(ctx, LoadRequest{Leads: bad})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("load of a bad file: %v, want an input error", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused first load left the file %s (stat: %v)", path, err)
	}
	if names := copiesIn(t, dir); len(names) > 0 {
		t.Errorf("a refused first load left %v", names)
	}
	mustLoad(t, s, messyRequest())
	if got := countsOf(t, s); got.leads == 0 {
		t.Fatalf("after the good load the store reads %+v", got)
	}
	r, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the first good load did not create a workspace: %v", err)
	}
	r.Close()
}

// TestLoadReplacesFileOnlyWhenComplete: a refused load leaves the very same
// file (same inode, same bytes); a good one puts a new file in place (a
// new inode: the old file was never written), with the old file's
// permissions, no working copy left, and the store reading the new data.
func TestLoadReplacesFileOnlyWhenComplete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustLoad(t, s, messyRequest())
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	before := countsOf(t, s)
	ino := inode(t, path)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	bad := writeTestFile(t, dir, "bad.csv", "lead_id,occurred_at,action\nL1,not a date,visit\n")
	if _, err := s.Load(ctx, LoadRequest{Events: bad}); err == nil {
		t.Fatal("a bad file loaded")
	}
	if inode(t, path) != ino {
		t.Error("a refused load replaced the workspace file")
	}
	if now, err := os.ReadFile(path); err != nil || string(now) != string(raw) {
		t.Errorf("a refused load changed the workspace file's bytes (err %v)", err)
	}
	if names := copiesIn(t, dir); len(names) > 0 {
		t.Errorf("a refused load left %v", names)
	}

	good := writeTestFile(t, dir, "more.csv", "lead_id,created_at,channel\nNEW-1,2024-02-01,web\nNEW-2,2024-02-02,event\n")
	mustLoad(t, s, LoadRequest{Leads: good})
	if inode(t, path) == ino {
		t.Error("a good load wrote into the workspace file instead of replacing it")
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("permissions %v after the load, want -rw-r-----", st.Mode().Perm())
	}
	if names := copiesIn(t, dir); len(names) > 0 {
		t.Errorf("a good load left %v", names)
	}
	want := before
	want.leads += 2
	want.loads++
	if got := countsOf(t, s); got != want {
		t.Errorf("the store reads %+v after the load, want %+v", got, want)
	}
	// And the file alone holds it: no write-ahead log is needed.
	if _, err := os.Stat(path + ".wal"); err == nil {
		t.Error("the workspace has a write-ahead log after the load")
	}
}

// TestStaleCopiesRemoved: a working copy a killed load left (with its log
// and temporary folder) is removed by the next load; one another process
// holds open (a load running now) is kept.
func TestStaleCopiesRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustLoad(t, s, messyRequest())

	stale := filepath.Join(dir, ".w.duckdb"+copyInfix+"123")
	for _, p := range []string{stale, stale + ".wal", filepath.Join(dir, ".w.duckdb"+copyInfix+"gone.wal")} {
		if err := os.WriteFile(p, []byte("left by a killed load"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(stale+".tmp", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, ".w.duckdb"+copyInfix+"456")
	db, err := sql.Open("duckdb", live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	holdDatabase(t, live)
	// Another workspace's copy in the same folder is not this one's.
	otherCopy := filepath.Join(dir, ".v.duckdb"+copyInfix+"789")
	if err := os.WriteFile(otherCopy, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	mustLoad(t, s, messyRequest())
	got := copiesIn(t, dir)
	want := []string{".v.duckdb" + copyInfix + "789", ".w.duckdb" + copyInfix + "456"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after the load: %v, want %v (the held copy and the other workspace's)", got, want)
	}
}

// TestFirstLoadLosesRaceCleanly: two first loads into the same new file
// from two stores: the one that finishes second is refused with
// ErrCreatedMeanwhile and leaves the first one's workspace as it was.
func TestFirstLoadLosesRaceCleanly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	late, err := Open(ctx, path, Options{DeferCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	first, err := Open(ctx, path, Options{DeferCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, first, messyRequest())
	want := countsOf(t, first)
	first.Close()
	ino := inode(t, path)

	leads := writeTestFile(t, dir, "leads.csv", "lead_id,created_at,channel\nX-1,2024-02-01,web\n")
	_, err = late.Load(ctx, LoadRequest{Leads: leads})
	if !errors.Is(err, ErrCreatedMeanwhile) {
		t.Fatalf("the second first load: %v, want ErrCreatedMeanwhile", err)
	}
	if inode(t, path) != ino {
		t.Error("the refused first load replaced the workspace")
	}
	if names := copiesIn(t, dir); len(names) > 0 {
		t.Errorf("the refused first load left %v", names)
	}
	r, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := countsOf(t, r); got != want {
		t.Errorf("the workspace holds %+v, want the first load's %+v", got, want)
	}
}

// TestCopyChunks: the working copy is byte for byte the workspace, copied
// in chunks (here 3,000 bytes, so 10,007 bytes take four), and a canceled
// load copies nothing.
func TestCopyChunks(t *testing.T) {
	dir := t.TempDir()
	want := make([]byte, 10_007)
	for i := range want {
		want[i] = byte(i * 7)
	}
	src := filepath.Join(dir, "src")
	if err := os.WriteFile(src, want, 0o644); err != nil {
		t.Fatal(err)
	}
	copyWith := func(ctx context.Context) ([]byte, error) {
		in, err := os.Open(src)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		dst := filepath.Join(dir, "dst")
		out, err := os.Create(dst)
		if err != nil {
			t.Fatal(err)
		}
		err = copyChunks(ctx, out, in, 3000)
		out.Close()
		got, rerr := os.ReadFile(dst)
		if rerr != nil {
			t.Fatal(rerr)
		}
		return got, err
	}
	got, err := copyWith(context.Background())
	if err != nil || string(got) != string(want) {
		t.Fatalf("copy: %d bytes, err %v; want the %d bytes of the source", len(got), err, len(want))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err = copyWith(ctx)
	if !errors.Is(err, context.Canceled) || len(got) != 0 {
		t.Fatalf("canceled copy: %d bytes, err %v; want none and context.Canceled", len(got), err)
	}
}

// TestLoadThroughSymlink: a workspace reached through a symbolic link stays
// a link after a load; the load replaces the file it points to (in the
// target's folder, where the working copy was made).
func TestLoadThroughSymlink(t *testing.T) {
	ctx := context.Background()
	realDir, linkDir := t.TempDir(), t.TempDir()
	target := filepath.Join(realDir, "real.duckdb")
	s, err := Open(ctx, target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, messyRequest())
	want := countsOf(t, s)
	s.Close()
	link := filepath.Join(linkDir, "w.duckdb")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	leads := writeTestFile(t, linkDir, "leads.csv", "lead_id,created_at,channel\nS-1,2024-02-01,web\n")
	mustLoad(t, s, LoadRequest{Leads: leads})
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("after the load %s is no longer a symbolic link (%v)", link, err)
	}
	r, err := Open(ctx, target, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want.leads++
	want.loads++
	if got := countsOf(t, r); got != want {
		t.Errorf("the link's target holds %+v, want %+v", got, want)
	}
	if names := append(copiesIn(t, realDir), copiesIn(t, linkDir)...); len(names) > 0 {
		t.Errorf("working copies left: %v", names)
	}
}

// TestOpenCreatesEmptyWorkspace: without DeferCreate, a read-write open of a
// missing file creates an empty workspace file at once, through a working
// copy (none left), holding the tables; rows written through DB() stay in
// it after Close.
func TestOpenCreatesEmptyWorkspace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("open did not create the file: %v", err)
	}
	if names := copiesIn(t, dir); len(names) > 0 {
		t.Errorf("open left %v", names)
	}
	if _, err := s.DB().ExecContext(ctx, "INSERT INTO leads VALUES ('L1', '2024-01-01', 'web')"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := countsOf(t, r); got != (tableCounts{leads: 1}) {
		t.Errorf("reopened: %+v, want the one lead written", got)
	}
}
