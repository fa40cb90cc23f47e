package calibrate

import (
	"context"
	"runtime"
	"sync"
)

// scoreChunk is how many leads a worker scores at a time: large enough that
// handing chunks over costs nothing, small enough to keep a few in memory.
const scoreChunk = 8192

// scoreInOrder calls score for i = 0..n−1 on workers goroutines (0:
// GOMAXPROCS), a chunk of leads each at a time, and emit with the results
// in order of i on the calling goroutine, so the caller writes its file as
// if scoring had been sequential while the scoring of the next chunks goes
// on. The first error of emit or ctx stops the work and is returned. Each
// worker scores with its own function from newScore, which may keep state
// (a block to hand reasons out of) between its calls.
func scoreInOrder(ctx context.Context, n, workers int, newScore func() func(i int) LeadScore, emit func(LeadScore) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (n + scoreChunk - 1) / scoreChunk
	// results[c] delivers chunk c; a worker takes chunks in order from next,
	// and at most 2×workers chunks are scored ahead of the one being emitted.
	results := make([]chan []LeadScore, chunks)
	for c := range results {
		results[c] = make(chan []LeadScore, 1)
	}
	// Deferred in this order, a return cancels first (the feeder stops
	// handing out chunks) and then waits for the workers to finish theirs.
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ahead := make(chan struct{}, 2*workers)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			score := newScore()
			for c := range next {
				lo, hi := c*scoreChunk, min((c+1)*scoreChunk, n)
				out := make([]LeadScore, hi-lo)
				for i := lo; i < hi; i++ {
					out[i-lo] = score(i)
				}
				results[c] <- out
			}
		}()
	}
	go func() {
		defer close(next)
		for c := 0; c < chunks; c++ {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	for c := 0; c < chunks; c++ {
		// A ready chunk must not win over a cancellation (select picks at
		// random among ready cases).
		if err := ctx.Err(); err != nil {
			return err
		}
		var out []LeadScore
		select {
		case out = <-results[c]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-ahead
		for _, s := range out {
			if err := emit(s); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}
