package calibrate

import (
	"context"
	"runtime"

	"gonum.org/v1/gonum/mat"
)

// sparseRows is a design matrix by its non-zero entries, row after row
// (compressed sparse rows). A landmark design is mostly zeros (an action
// not taken, a channel not the lead's, another landmark): at 10M events
// its rows hold about 3 non-zeros in 24 columns, so a Newton step that
// reads only those does a few multiplications per row where the dense rows
// take ~25 for the linear predictor and the gradient and ~300 for the
// information.
type sparseRows struct {
	start []int     // row i's entries are col[start[i]:start[i+1]]
	col   []int32   // column of each entry in X (0-based, no intercept)
	val   []float64 // its value
}

// sparseRowsOf returns X by its non-zero entries when at most a quarter of
// its cells are not zero, else nil (the dense rows are then cheaper). The
// chunks of rows are counted, then copied, side by side.
func sparseRowsOf(x *mat.Dense) *sparseRows {
	if x == nil || x.IsEmpty() {
		return nil
	}
	raw := x.RawMatrix()
	n, p := raw.Rows, raw.Cols
	chunks := (n + chunkRows - 1) / chunkRows
	workers := runtime.GOMAXPROCS(0)
	// from[c] is where chunk c's entries start; from[chunks] is their number.
	from := make([]int, chunks+1)
	parallelChunks(context.Background(), chunks, workers, 0, func(c int, _ []float64) {
		nnz := 0
		for i := c * chunkRows; i < min((c+1)*chunkRows, n); i++ {
			for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+p] {
				if v != 0 {
					nnz++
				}
			}
		}
		from[c+1] = nnz
	})
	for c := range chunks {
		from[c+1] += from[c]
	}
	if 4*from[chunks] > n*p {
		return nil
	}
	sx := &sparseRows{start: make([]int, n+1), col: make([]int32, from[chunks]), val: make([]float64, from[chunks])}
	parallelChunks(context.Background(), chunks, workers, 0, func(c int, _ []float64) {
		e := from[c]
		for i := c * chunkRows; i < min((c+1)*chunkRows, n); i++ {
			for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+p] {
				if v != 0 {
					sx.col[e], sx.val[e] = int32(j), v
					e++
				}
			}
			sx.start[i+1] = e
		}
	})
	return sx
}

// addChunk adds rows lo..hi−1 to pt as addDenseChunk does, reading only the
// non-zero entries; the information's upper triangle gets
// wi·μi·(1−μi)·x̃a·x̃b for each pair a ≤ b of the row's entries and the
// intercept.
func (sx *sparseRows) addChunk(pt *pass, d Data, beta []float64, lo, hi int, withHess bool) {
	k := len(pt.grad)
	for i := lo; i < hi; i++ {
		wi := d.weight(i)
		if wi == 0 {
			continue
		}
		cols, vals := sx.col[sx.start[i]:sx.start[i+1]], sx.val[sx.start[i]:sx.start[i+1]]
		eta := beta[0]
		for e, j := range cols {
			eta += beta[j+1] * vals[e]
		}
		ll, mu, r := rowTerms(d, i, wi, eta)
		pt.ll += ll
		pt.grad[0] += r
		for e, j := range cols {
			pt.grad[j+1] += r * vals[e]
		}
		if !withHess {
			continue
		}
		h := wi * mu * (1 - mu)
		pt.hess[0] += h
		for e, j := range cols {
			hv := h * vals[e]
			pt.hess[j+1] += hv // row 0: the intercept's
			row := pt.hess[(int(j)+1)*k : (int(j)+2)*k]
			for f := e; f < len(cols); f++ {
				row[cols[f]+1] += hv * vals[f]
			}
		}
	}
}
