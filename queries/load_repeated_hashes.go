package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"math"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/funnel-dev/funnel/internal/hugepage"
)

//go:embed load_key_hashes.sql
var keyHashesSQL string

// keyHashesRepeat returns the hashes of the natural key that two or more
// of the n rows of the stored table (quoted) of kind k share: where a file
// inserted into the empty table in one pass may have repeated a row. It
// runs on conn, inside the load's transaction open there, and reads the
// hashes as Arrow batches (see LoadKeyHashes), which two goroutines put
// into their buckets while the next batch is read; Go holds them, about 9
// bytes a row, until it returns. A shared hash is not proof of a repeated
// row: the caller compares the rows themselves (dropRepeatedRows).
func keyHashesRepeat(ctx context.Context, conn *sql.Conn, k Kind, table string, n int64) ([]uint64, error) {
	parts := newHashBuckets(n, hashWorkers)
	err := withArrow(conn, func(ar *duckdb.Arrow) error {
		r, err := ar.QueryContext(ctx, fill(keyHashesSQL, "/*KEY*/", keyColumns(k), "/*TABLE*/", table))
		if err != nil {
			return err
		}
		defer r.Release()
		batches := make(chan arrow.Record, 2*len(parts))
		var wg sync.WaitGroup
		for _, h := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for rec := range batches {
					h.add(rec.Column(0).(*array.Uint64).Values())
					rec.Release()
				}
			}()
		}
		err = eachRecord(r, "key hashes", func(rec arrow.Record) error {
			if _, ok := rec.Column(0).(*array.Uint64); !ok {
				return fmt.Errorf("key hashes: column of type %s, want uint64", rec.Column(0).DataType())
			}
			rec.Retain()
			batches <- rec
			return nil
		})
		close(batches)
		wg.Wait()
		return err
	})
	if err != nil {
		return nil, err
	}
	return repeatedIn(parts), nil
}

// hashWorkers is how many goroutines put a load's key hashes into buckets,
// one per CPU of the machines funnel is measured on: DuckDB's query has
// ended when Go adds the hashes, so both are free. In traced loads of 9.8M
// events the whole check took 0.55-0.84 s with two, 0.63-0.66 s with one:
// within this machine's noise; at 100M the adding took 3.4 s of the 8.4.
const hashWorkers = 2

// hashBuckets holds 64-bit hashes split by their top bits into buckets of
// about a thousand, so that finding two equal hashes is done bucket by
// bucket in a table that stays in the processor's cache (see repeatedIn):
// for 9.8M hashes 0.05 s, against 1.3 s for one slices.Sort of them all.
type hashBuckets struct {
	shift   uint // a hash's bucket is h >> shift
	buckets [][]uint64
}

// newHashBuckets makes parts sets of buckets, one per goroutine adding
// hashes, for about n hashes in all, in one allocation: each bucket is
// sized for its expected share plus six standard deviations (a bucket
// that outgrows its room is copied elsewhere by append). Every part splits
// hashes by the same bits, so bucket i of every part holds the same range.
func newHashBuckets(n int64, parts int) []*hashBuckets {
	b := 0 // log2 of the number of buckets
	for b < 16 && n>>(b+1) >= 1024 {
		b++
	}
	per := n / int64(parts) >> b
	room := int(per + 6*int64(math.Sqrt(float64(per))) + 16)
	backing := make([]uint64, parts*room<<b)
	// Written at random: adding 9.8M hashes took 0.46-0.52 s on fresh
	// 4 KiB pages, 0.31 s with huge pages (traced loads).
	hugepage.Advise(backing)
	out := make([]*hashBuckets, parts)
	for p := range out {
		// With b = 0 the shift is 64, and Go's v >> 64 is 0: one bucket.
		h := &hashBuckets{shift: uint(64 - b), buckets: make([][]uint64, 1<<b)}
		for i := range h.buckets {
			at := (p<<b + i) * room
			h.buckets[i] = backing[at : at : at+room]
		}
		out[p] = h
	}
	return out
}

// add puts hashes into their buckets.
func (h *hashBuckets) add(hashes []uint64) {
	for _, v := range hashes {
		i := v >> h.shift
		h.buckets[i] = append(h.buckets[i], v)
	}
}

// repeatedIn returns every hash added more than once to parts (made by one
// newHashBuckets), each once. Bucket i of every part goes through a small
// open-addressing table (at least twice the bucket's size, indexed by the
// hash's low bits, 0 marking a free slot), reused from bucket to bucket:
// for 9.8M hashes 0.05 s, where sorting the buckets took 0.5 s.
func repeatedIn(parts []*hashBuckets) []uint64 {
	var table, out []uint64
	seen := map[uint64]bool{} // repeats already listed (they are few)
	for bi := range parts[0].buckets {
		total := 0
		for _, h := range parts {
			total += len(h.buckets[bi])
		}
		size := 16
		for size < 2*total {
			size <<= 1
		}
		if cap(table) < size {
			table = make([]uint64, size)
		}
		t := table[:size]
		clear(t)
		mask := uint64(size - 1)
		zero := false // 0 itself was seen (it cannot be stored in t)
		repeat := func(v uint64) {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		for _, h := range parts {
			for _, v := range h.buckets[bi] {
				if v == 0 {
					if zero {
						repeat(0)
					}
					zero = true
					continue
				}
				i := v & mask
				for t[i] != 0 && t[i] != v {
					i = (i + 1) & mask
				}
				if t[i] == v {
					repeat(v)
					continue
				}
				t[i] = v
			}
		}
	}
	return out
}
