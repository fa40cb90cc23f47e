package queries

import (
	"context"
	"sync"
)

// inputFiles are a load's input files, inspected (inspectFile) in load
// order on a goroutine of their own while the load goes on: the working
// copy is made and the first file is read by DuckDB while Go still checks
// the next (each file's hash runs apart, see fileDigest). Inspecting the
// 470 MB of CSV at 10M events took 0.5 s before DuckDB read a row, with
// one of the two CPUs idle.
//
// Errors keep the order they had when every file was inspected first: a
// load that fails asks firstError, which waits for every inspection and
// returns the first file's inspection error, if any, instead of its own.
type inputFiles struct {
	base   []inputFile // kind, path and seq of each file, never written
	list   []inputFile // each file once inspected (written by the inspecting goroutine)
	done   []chan struct{}
	errs   []error
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// inspectAhead starts inspecting files, which have their kind, path and
// seq, one after the other; report is told of each as it starts. stop
// ends the inspections and waits for them.
func inspectAhead(ctx context.Context, files []inputFile, report func(inputFile, string)) *inputFiles {
	ctx, cancel := context.WithCancel(ctx)
	fs := &inputFiles{base: files, list: make([]inputFile, len(files)), done: make([]chan struct{}, len(files)),
		errs: make([]error, len(files)), cancel: cancel}
	for i := range fs.done {
		fs.done[i] = make(chan struct{})
	}
	fs.wg.Add(1)
	go func() {
		defer fs.wg.Done()
		for i, f := range files {
			report(f, "checking")
			in, err := inspectFile(ctx, f.kind, f.path)
			in.seq = f.seq
			fs.list[i], fs.errs[i] = in, err
			close(fs.done[i])
			if err != nil {
				// A later file is not inspected: the load fails anyway.
				for _, d := range fs.done[i+1:] {
					close(d)
				}
				return
			}
		}
	}()
	return fs
}

// inspected wraps files that are inspected already (tests).
func inspected(files []inputFile) *inputFiles {
	fs := &inputFiles{base: files, list: files, done: make([]chan struct{}, len(files)), errs: make([]error, len(files)), cancel: func() {}}
	for i := range fs.done {
		fs.done[i] = make(chan struct{})
		close(fs.done[i])
	}
	return fs
}

// get waits for file i's inspection and returns the file, or the first
// inspection error up to it.
func (fs *inputFiles) get(i int) (inputFile, error) {
	<-fs.done[i]
	for _, err := range fs.errs[:i+1] {
		if err != nil {
			return inputFile{}, err
		}
	}
	return fs.list[i], nil
}

// firstError waits for every inspection and returns the first error among
// them, or nil.
func (fs *inputFiles) firstError() error {
	for i := range fs.done {
		<-fs.done[i]
		if fs.errs[i] != nil {
			return fs.errs[i]
		}
	}
	return nil
}

// stop ends the inspections and the files' digests still running and
// waits for them.
func (fs *inputFiles) stop() {
	fs.cancel()
	fs.wg.Wait()
	for _, f := range fs.list {
		if f.digest != nil {
			<-f.digest.done
		}
	}
}
