package gen

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/funnel-dev/funnel/internal/atomicfile"
	"go.yaml.in/yaml/v3"
)

// Generate writes leads.csv, events.csv, stages.csv, outcomes.csv and
// truth.yaml into dir (created if needed) for cfg; zero fields of cfg take
// their defaults. The same cfg gives byte-identical files on any machine of
// the same architecture, however many CPUs it has. Each file is written
// atomically (see internal/atomicfile); on error or cancellation no file is
// half-written, though files finished before the failure stay.
func Generate(ctx context.Context, cfg Config, dir string) (Summary, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Summary{}, fmt.Errorf("generate: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("generate: %w", err)
	}
	return generate(ctx, newGenerator(cfg), dir, runtime.GOMAXPROCS(0))
}

// slot is one shard on its way from a worker to the four file writers.
type slot struct {
	done    chan struct{} // closed when out is ready
	out     *shardOut
	pending atomic.Int32 // writers that have not yet written the shard
}

func generate(ctx context.Context, g *generator, dir string, workers int) (Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nShards := (g.cfg.Leads + shardSize - 1) / shardSize
	inFlight := 2*workers + 2
	slots := make([]slot, nShards)
	for i := range slots {
		slots[i].done = make(chan struct{})
		slots[i].pending.Store(numFiles)
	}
	// free holds the reusable shard buffers; taking one is the permission to
	// start a shard, which bounds memory to inFlight shards.
	free := make(chan *shardOut, inFlight)
	for range inFlight {
		free <- &shardOut{}
	}
	// The dispatcher hands out buffers in shard order, so the shard the
	// writers wait for always has one.
	type job struct {
		k   int
		out *shardOut
	}
	work := make(chan job)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(work)
		for k := range nShards {
			var out *shardOut
			select {
			case out = <-free:
			case <-ctx.Done():
				return
			}
			select {
			case work <- job{k, out}:
			case <-ctx.Done():
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			var l lead
			for j := range work {
				g.shard(j.k, j.out, &l)
				slots[j.k].out = j.out
				close(slots[j.k].done)
			}
		})
	}

	sum := Summary{}
	var errs [numFiles]error
	var counts [numFiles]int64
	var writers sync.WaitGroup
	for f := range numFiles {
		path := filepath.Join(dir, [numFiles]string{LeadsFile, EventsFile, StagesFile, OutcomesFile}[f])
		sum.Files = append(sum.Files, path)
		writers.Go(func() {
			var rows int64
			errs[f] = atomicfile.Write(path, func(w io.Writer) error {
				if _, err := io.WriteString(w, csvHeaders[f]); err != nil {
					return err
				}
				for k := range slots {
					sl := &slots[k]
					select {
					case <-sl.done:
					case <-ctx.Done():
						return ctx.Err()
					}
					if _, err := w.Write(sl.out.buf[f]); err != nil {
						return err
					}
					rows += sl.out.rows[f]
					if f == fileLeads && g.cfg.Progress != nil {
						g.cfg.Progress(min((k+1)*shardSize, g.cfg.Leads), g.cfg.Leads)
					}
					if sl.pending.Add(-1) == 0 {
						free <- sl.out
						sl.out = nil
					}
				}
				return nil
			})
			if errs[f] != nil {
				cancel()
			}
			counts[f] = rows
		})
	}
	writers.Wait()
	cancel()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return Summary{}, fmt.Errorf("generate: %w", err)
		}
	}
	sum.Leads, sum.Events, sum.Stages, sum.Outcomes = counts[0], counts[1], counts[2], counts[3]
	sum.Truth = newTruth(g.cfg)
	path := filepath.Join(dir, TruthFile)
	err := atomicfile.Write(path, func(w io.Writer) error {
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(sum.Truth); err != nil {
			return err
		}
		return enc.Close()
	})
	if err != nil {
		return Summary{}, fmt.Errorf("generate: %w", err)
	}
	sum.Files = append(sum.Files, path)
	return sum, nil
}
