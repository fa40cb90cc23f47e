package calibrate

import (
	"context"
	"errors"
	"strconv"
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
			err := scoreInOrder(context.Background(), n, workers, byIndex, nil, func(s LeadScore) error {
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
	// Rows formatted on the workers reach emit with their own lead, chunk
	// buffers reused or not.
	format := func(dst []byte, s LeadScore) []byte { return append(strconv.AppendInt(dst, int64(s.Score), 10), ';') }
	for _, workers := range []int{1, 2, 3} {
		next := 0
		err := scoreInOrder(context.Background(), 7*scoreChunk+3, workers, byIndex, format, func(s LeadScore) error {
			if want := strconv.Itoa(next) + ";"; string(s.Row) != want {
				t.Fatalf("workers %d: lead %d came with row %q, want %q", workers, next, s.Row, want)
			}
			next++
			return nil
		})
		if err != nil || next != 7*scoreChunk+3 {
			t.Fatalf("workers %d, formatted: %d emitted, error %v", workers, next, err)
		}
	}
	stop := errors.New("disk full")
	emitted := 0
	err := scoreInOrder(context.Background(), 10*scoreChunk, 2, byIndex, nil,
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
	err = scoreInOrder(ctx, 10*scoreChunk, 2, byIndex, nil,
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
