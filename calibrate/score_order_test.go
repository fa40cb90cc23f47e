package calibrate

import (
	"context"
	"errors"
	"testing"
)

// TestScoreInOrder checks that leads scored side by side come out in
// order, every one once, and that an error of emit or a cancelled context
// stops the work after the chunk being emitted, without leaving workers
// behind (the race detector and the test's end would show them).
// byIndex scores lead i as i.
func byIndex() scoreFunc {
	return func(i int, reasons []Reason) (LeadScore, []Reason) { return LeadScore{Score: i}, reasons }
}

func TestScoreInOrder(t *testing.T) {
	for _, n := range []int{0, 1, scoreChunk - 1, scoreChunk, 5*scoreChunk + 17} {
		for _, workers := range []int{1, 2, 3} {
			next := 0
			err := scoreInOrder(context.Background(), n, workers, byIndex, func(s LeadScore) error {
				if s.Score != next {
					t.Fatalf("n %d, workers %d: lead %d emitted where %d was due", n, workers, s.Score, next)
				}
				next++
				return nil
			})
			if err != nil || next != n {
				t.Fatalf("n %d, workers %d: %d emitted, error %v", n, workers, next, err)
			}
		}
	}
	stop := errors.New("disk full")
	emitted := 0
	err := scoreInOrder(context.Background(), 10*scoreChunk, 2, byIndex,
		func(s LeadScore) error {
			if emitted++; emitted == scoreChunk+5 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || emitted != scoreChunk+5 {
		t.Errorf("emit failing at lead %d: error %v after %d emitted", scoreChunk+5, err, emitted)
	}
	ctx, cancel := context.WithCancel(context.Background())
	emitted = 0
	err = scoreInOrder(ctx, 10*scoreChunk, 2, byIndex,
		func(s LeadScore) error {
			if emitted++; emitted == 3 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) || emitted != scoreChunk {
		t.Errorf("cancelled after 3 leads: error %v, %d emitted", err, emitted)
	}
}
