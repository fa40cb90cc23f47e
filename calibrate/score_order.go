package calibrate

import (
	"context"
	"runtime"
	"sync"
)

// scoreFunc scores lead i, appending its reasons to reasons (the chunk's
// so far); it returns the score, whose Reasons point into the result, and
// the result.
type scoreFunc func(i int, reasons []Reason) (LeadScore, []Reason)

// scoredChunk is the scores of one chunk of leads and the reasons and
// formatted rows they point into.
type scoredChunk struct {
	scores  []LeadScore
	reasons []Reason
	rows    []byte
}

// scoreChunk is how many leads a worker scores at a time: large enough that
// handing chunks over costs nothing, small enough to keep a few in memory.
const scoreChunk = 8192

// scoreInOrder calls score for i = 0..n−1 on workers goroutines (0:
// GOMAXPROCS), a chunk of leads each at a time, and emit with the results
// in order of i on the calling goroutine, so the caller writes its file as
// if scoring had been sequential while the scoring of the next chunks goes
// on. The first error of emit or ctx stops the work and is returned. Each
// worker scores with its own function from newScore, which appends the
// lead's reasons to the chunk's reasons and returns them. When format is
// not nil, the worker also formats each score (LeadScore.Row), so that the
// calling goroutine only hands the rows on. A chunk's scores, reasons and
// rows are used again for a later chunk once emitted, so what emit
// receives is valid only during the call: at 5M leads, fresh memory for
// every chunk cost about a tenth of the page faults of scoring.
func scoreInOrder(ctx context.Context, n, workers int, newScore func() scoreFunc, format func([]byte, LeadScore) []byte,
	emit func(LeadScore) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (n + scoreChunk - 1) / scoreChunk
	// results[c] delivers chunk c; a worker takes chunks in order from next,
	// and at most 2×workers chunks are scored ahead of the one being emitted.
	results := make([]chan *scoredChunk, chunks)
	for c := range results {
		results[c] = make(chan *scoredChunk, 1)
	}
	// spare holds emitted chunks for the workers to fill again.
	spare := make(chan *scoredChunk, 3*workers)
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
				var out *scoredChunk
				select {
				case out = <-spare:
				default:
					out = &scoredChunk{scores: make([]LeadScore, 0, scoreChunk)}
				}
				out.scores, out.reasons, out.rows = out.scores[:0], out.reasons[:0], out.rows[:0]
				for i := c * scoreChunk; i < min((c+1)*scoreChunk, n); i++ {
					var s LeadScore
					s, out.reasons = score(i, out.reasons)
					if format != nil {
						// Earlier rows keep the array they point into
						// when the chunk's rows grow.
						start := len(out.rows)
						out.rows = format(out.rows, s)
						s.Row = out.rows[start:len(out.rows):len(out.rows)]
					}
					out.scores = append(out.scores, s)
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
		var out *scoredChunk
		select {
		case out = <-results[c]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-ahead
		for _, s := range out.scores {
			if err := emit(s); err != nil {
				return err
			}
		}
		select {
		case spare <- out:
		default:
		}
	}
	return ctx.Err()
}
