package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

//go:embed store_checkpoint.sql
var checkpointSQL string

// copyInfix is what a working copy's name adds to the workspace's:
// the copy of funnel.duckdb is .funnel.duckdb.load-<random>.
const copyInfix = ".load-"

// throughCopy runs write on a working copy of the workspace file and puts
// the copy in place of the file only when write succeeded and the copy is
// complete on disk. The steps: copy the file (for a store whose file does
// not exist yet, start from a new one) to a hidden file in the same folder,
// apply the pending schema migrations there (creating any missing
// workspace table) and checkpoint, write,
// CHECKPOINT (so the copy needs no write-ahead log), fsync the copy, rename
// it over the workspace (for a new file, hard-link it, which fails if the
// file appeared meanwhile), fsync the folder. The rename is the commit: killed at any
// moment before it, the workspace file was never written; after it, it is
// complete. DuckDB's own commit is not atomic under kill -9 (a torn
// write-ahead log can be replayed in part), so its log never decides what
// the workspace holds. On success the store reads the new file and still
// holds the only writer's lock on it.
func (s *Store) throughCopy(ctx context.Context, write func(context.Context, *sql.DB) error) error {
	removeStaleCopies(s.file, !s.pending)
	copyPath, err := s.makeCopy(ctx)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			removeCopy(copyPath)
		}
	}()
	db, err := openDB(ctx, copyPath, Options{MemoryLimit: s.opts.MemoryLimit, TempDir: s.opts.TempDir})
	if err != nil {
		return fmt.Errorf("open working copy of database %s: %w", s.path, err)
	}
	keep := false
	defer func() {
		if !keep {
			db.Close()
		}
	}()
	// The schema is brought up to date (missing tables created, pending
	// migrations applied) and checkpointed at once, so that the copy's
	// write-ahead log, from here on, is the load's alone.
	if err := migrate(ctx, db, s.path); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, checkpointSQL); err != nil {
		return fmt.Errorf("checkpoint working copy of database %s: %w", s.path, err)
	}
	if err := write(ctx, db); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, checkpointSQL); err != nil {
		return fmt.Errorf("checkpoint working copy of database %s: %w", s.path, err)
	}
	if st, err := os.Stat(copyPath + ".wal"); err == nil && st.Size() > 0 {
		return fmt.Errorf("checkpoint working copy of database %s: its write-ahead log still holds %d bytes", s.path, st.Size())
	}
	// Kept open while db is: closing it would drop DuckDB's lock.
	held, err := os.Open(copyPath)
	if err != nil {
		return fmt.Errorf("sync working copy of database %s: %w", s.path, err)
	}
	if err := held.Sync(); err != nil {
		held.Close()
		return fmt.Errorf("sync working copy of database %s: %w", s.path, err)
	}
	if err := s.putInPlace(copyPath); err != nil {
		held.Close()
		return err
	}
	committed, keep = true, true
	old, oldHeld := s.db, s.held
	s.db, s.held, s.pending = db, held, false
	old.Close()
	if oldHeld != nil {
		oldHeld.Close()
	}
	if err := syncDir(filepath.Dir(s.file)); err != nil {
		return fmt.Errorf("load stored in %s, but syncing its folder failed: %w", s.path, err)
	}
	return nil
}

// makeCopy writes the working copy of the workspace file and returns its
// path. For a store whose file does not exist yet, it only picks a free
// name and DuckDB creates the file.
func (s *Store) makeCopy(ctx context.Context) (string, error) {
	dir, base := filepath.Split(s.file)
	f, err := os.CreateTemp(dir, "."+base+copyInfix+"*")
	if err != nil {
		return "", fmt.Errorf("create working copy of database %s: %w", s.path, err)
	}
	name := f.Name()
	if s.pending {
		f.Close()
		if err := os.Remove(name); err != nil {
			return "", fmt.Errorf("create working copy of database %s: %w", s.path, err)
		}
		return name, nil
	}
	// Fold any write-ahead log of the workspace into its file first, so the
	// file alone is the whole workspace.
	if _, err := s.db.ExecContext(ctx, checkpointSQL); err != nil {
		f.Close()
		os.Remove(name)
		return "", fmt.Errorf("checkpoint database %s: %w", s.path, err)
	}
	// The copy keeps the workspace's permissions (CreateTemp makes 0600).
	st, err := s.held.Stat()
	if err == nil {
		err = f.Chmod(st.Mode().Perm())
	}
	if err == nil {
		_, err = s.held.Seek(0, io.SeekStart)
	}
	if err == nil {
		err = copyChunks(ctx, f, s.held, copyChunkBytes)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("copy database %s to %s: %w", s.path, name, err)
	}
	return name, nil
}

// copyChunkBytes is how much copyChunks copies between two looks at ctx:
// about 0.1 s here, so Ctrl-C stops a copy of a large workspace at once.
const copyChunkBytes = 64 << 20

// copyChunks copies src to dst from src's offset to its end, chunk bytes
// at a time so that a canceled ctx stops it (io.CopyN between files still
// uses copy_file_range on Linux).
func copyChunks(ctx context.Context, dst, src *os.File, chunk int64) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.CopyN(dst, src, chunk)
		if errors.Is(err, io.EOF) || (err == nil && n < chunk) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// putInPlace makes the working copy the workspace file (the target of a
// symbolic link, which stays a link): a rename over an existing file (this
// store holds its lock, so no other process writes it); for a new
// workspace a hard link, which fails if another process created the file
// meanwhile, then the copy's name is removed.
func (s *Store) putInPlace(copyPath string) error {
	if !s.pending {
		if err := os.Rename(copyPath, s.file); err != nil {
			return fmt.Errorf("replace database %s by its updated copy: %w", s.path, err)
		}
		return nil
	}
	err := os.Link(copyPath, s.file)
	switch {
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%w: nothing of it was stored in %s; load again", ErrCreatedMeanwhile, s.path)
	case err != nil:
		// A file system without hard links: rename, unless the file exists.
		if _, serr := os.Lstat(s.file); serr == nil {
			return fmt.Errorf("%w: nothing of it was stored in %s; load again", ErrCreatedMeanwhile, s.path)
		}
		if err := os.Rename(copyPath, s.file); err != nil {
			return fmt.Errorf("create database %s: %w", s.path, err)
		}
		return nil
	}
	// The workspace is in place; a name left here by a kill is removed as
	// stale by the next load.
	os.Remove(copyPath)
	return nil
}

// removeCopy deletes a working copy and what DuckDB made beside it.
func removeCopy(path string) {
	os.Remove(path)
	os.Remove(path + ".wal")
	os.RemoveAll(path + ".tmp")
}

// removeStaleCopies deletes the working copies of the workspace at path
// that a killed load left: those no process holds open (DuckDB locks the
// copy it writes). With holdsWorkspace (this process holds the
// workspace's lock, so no other process is using any copy that was put in
// place), a log or temporary folder whose copy is gone is removed too.
// Errors are ignored: a copy that cannot be removed now is tried again by
// the next load.
func removeStaleCopies(path string, holdsWorkspace bool) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + copyInfix
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		full := filepath.Join(dir, name)
		if strings.HasSuffix(name, ".wal") || strings.HasSuffix(name, ".tmp") {
			if _, err := os.Lstat(full[:len(full)-4]); holdsWorkspace && errors.Is(err, fs.ErrNotExist) {
				os.RemoveAll(full)
			}
			continue
		}
		if locked, err := lockedByOther(full); err == nil && !locked {
			removeCopy(full)
		}
	}
}

// syncDir fsyncs a folder, so a rename in it survives a power loss.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
