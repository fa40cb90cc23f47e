package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

//go:embed load_key_hashes.sql
var keyHashesSQL string

// keyHashesRepeat returns the hashes of the natural key that two or more
// of the n rows of the stored table (quoted) of kind k share: where a file
// inserted into the empty table in one pass may have repeated a row. It
// runs on conn, inside the load's transaction open there, and reads the
// hashes as Arrow batches (see LoadKeyHashes); Go holds them, about 9
// bytes a row, until it returns. A shared hash is not proof of a repeated
// row: the caller compares the rows themselves (dropRepeatedRows).
func keyHashesRepeat(ctx context.Context, conn *sql.Conn, k Kind, table string, n int64) ([]uint64, error) {
	set := newHashBuckets(n)
	err := withArrow(conn, func(ar *duckdb.Arrow) error {
		r, err := ar.QueryContext(ctx, fill(keyHashesSQL, "/*KEY*/", keyColumns(k), "/*TABLE*/", table))
		if err != nil {
			return err
		}
		defer r.Release()
		return eachRecord(r, "key hashes", func(rec arrow.Record) error {
			col, ok := rec.Column(0).(*array.Uint64)
			if !ok {
				return fmt.Errorf("key hashes: column of type %s, want uint64", rec.Column(0).DataType())
			}
			set.add(col.Values())
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return set.repeated(), nil
}

// hashBuckets holds 64-bit hashes split by their top bits into buckets of
// about a thousand, so that finding two equal hashes is done bucket by
// bucket in a table that stays in the processor's cache (see repeated):
// for 9.8M hashes 0.05 s, against 1.3 s for one slices.Sort of them all.
type hashBuckets struct {
	shift   uint // a hash's bucket is h >> shift
	buckets [][]uint64
}

// newHashBuckets makes room for about n hashes in one allocation, each
// bucket sized for its expected share plus six standard deviations (a
// bucket that outgrows its room is copied elsewhere by append).
func newHashBuckets(n int64) *hashBuckets {
	b := 0 // log2 of the number of buckets
	for b < 16 && n>>(b+1) >= 1024 {
		b++
	}
	per := n >> b
	room := int(per + 6*int64(math.Sqrt(float64(per))) + 16)
	backing := make([]uint64, room<<b)
	// With b = 0 the shift is 64, and Go's v >> 64 is 0: one bucket.
	h := &hashBuckets{shift: uint(64 - b), buckets: make([][]uint64, 1<<b)}
	for i := range h.buckets {
		h.buckets[i] = backing[i*room : i*room : (i+1)*room]
	}
	return h
}

// add puts hashes into their buckets.
func (h *hashBuckets) add(hashes []uint64) {
	for _, v := range hashes {
		i := v >> h.shift
		h.buckets[i] = append(h.buckets[i], v)
	}
}

// repeated returns every hash added more than once, each once. Each bucket goes
// through a small open-addressing table (at least twice the bucket's size,
// indexed by the hash's low bits, 0 marking a free slot), reused from
// bucket to bucket: for 9.8M hashes 0.05 s, where sorting the buckets took
// 0.5 s.
func (h *hashBuckets) repeated() []uint64 {
	var table, out []uint64
	seen := map[uint64]bool{} // repeats already listed (they are few)
	for _, b := range h.buckets {
		size := 16
		for size < 2*len(b) {
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
		for _, v := range b {
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
	return out
}
