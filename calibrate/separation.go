package calibrate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
)

// checkSeparation looks, column by column, for quasi-complete separation that
// makes a maximum-likelihood weight infinite whatever the other columns are:
//
//   - the rows where the column is non-zero all have one outcome (x > 0 ⇒ y = 1
//     and x < 0 ⇒ y = 0, or the mirror): raising the weight only improves those
//     rows and leaves the others unchanged, so it grows without bound;
//   - for a 0/1 column, the rows where it is 0 all have one outcome: moving the
//     intercept by −t and the weight by +t changes only those rows.
//
// Rows of zero weight are ignored. Separation by a combination of columns is
// caught during the fit instead (see FitLogit).
func checkSeparation(d Data) error {
	_, p := d.dims()
	pos, neg, zero, binary := separationTallies(d)
	for j := 0; j < p; j++ {
		pos, neg, zero := pos[j], neg[j], zero[j]
		if pos.w+neg.w == 0 {
			continue // all zero: reported by checkCollinear
		}
		nonZero := pos.w + neg.w
		switch {
		case pos.wy == pos.w && neg.wy == 0:
			return &SeparationError{Feature: d.name(j), Detail: fmt.Sprintf("every lead with it reached the target (%g rows with a non-zero value, all with outcome 1)", nonZero)}
		case pos.wy == 0 && neg.wy == neg.w:
			return &SeparationError{Feature: d.name(j), Detail: fmt.Sprintf("no lead with it reached the target (%g rows with a non-zero value, all with outcome 0)", nonZero)}
		}
		if binary[j] && zero.w > 0 {
			switch zero.wy {
			case 0:
				return &SeparationError{Feature: d.name(j), Detail: fmt.Sprintf("no lead without it reached the target (%g rows with 0, all with outcome 0)", zero.w)}
			case zero.w:
				return &SeparationError{Feature: d.name(j), Detail: fmt.Sprintf("every lead without it reached the target (%g rows with 0, all with outcome 1)", zero.w)}
			}
		}
	}
	return nil
}

// tally sums the weights and the weighted outcomes of some rows.
type tally struct{ w, wy float64 }

// separationTallies returns, per column, the tallies of the rows where it
// is positive, negative and zero, and whether it holds only 0 and 1. The
// rows are read in chunks side by side (row-major, cache-friendly) and the
// chunks' tallies added in chunk order. What checkSeparation tests of them
// (a sum equal to 0, or to another sum of the same rows) does not depend on
// the order of the additions.
func separationTallies(d Data) (pos, neg, zero []tally, binary []bool) {
	n, p := d.dims()
	raw := d.X.RawMatrix()
	type part struct {
		pos, neg, zero []tally
		binary         []bool
	}
	parts := make([]part, (n+chunkRows-1)/chunkRows)
	parallelChunks(context.Background(), len(parts), runtime.GOMAXPROCS(0), 0, func(c int, _ []float64) {
		pt := part{pos: make([]tally, p), neg: make([]tally, p), zero: make([]tally, p), binary: make([]bool, p)}
		for j := range pt.binary {
			pt.binary[j] = true
		}
		for i := c * chunkRows; i < min((c+1)*chunkRows, n); i++ {
			w := d.weight(i)
			if w == 0 {
				continue
			}
			wy := w * d.Y[i]
			for j, x := range raw.Data[i*raw.Stride : i*raw.Stride+p] {
				t := &pt.zero[j]
				switch {
				case x > 0:
					t = &pt.pos[j]
				case x < 0:
					t = &pt.neg[j]
				}
				t.w += w
				t.wy += wy
				if x != 0 && x != 1 {
					pt.binary[j] = false
				}
			}
		}
		parts[c] = pt
	})
	pos, neg, zero, binary = make([]tally, p), make([]tally, p), make([]tally, p), make([]bool, p)
	for j := range binary {
		binary[j] = true
	}
	for _, pt := range parts {
		for j := 0; j < p; j++ {
			pos[j].w, pos[j].wy = pos[j].w+pt.pos[j].w, pos[j].wy+pt.pos[j].wy
			neg[j].w, neg[j].wy = neg[j].w+pt.neg[j].w, neg[j].wy+pt.neg[j].wy
			zero[j].w, zero[j].wy = zero[j].w+pt.zero[j].w, zero[j].wy+pt.zero[j].wy
			binary[j] = binary[j] && pt.binary[j]
		}
	}
	return pos, neg, zero, binary
}

// separationAt is the error for parameter j (0 = intercept) whose estimate
// diverged during the fit.
func separationAt(d Data, j int, b float64, steps int) *SeparationError {
	name := "(intercept)"
	if j > 0 {
		name = d.name(j - 1)
	}
	return &SeparationError{Feature: name, Detail: fmt.Sprintf(
		"its weight keeps growing without bound (%.1f after %d Newton steps, the log-likelihood no longer changes): the leads it marks are predicted with certainty", b, steps)}
}

// collinearTol is the smallest share of a column's (weighted) sum of squares
// that must remain after projecting it on the columns before it: 1 − R² of
// that regression. Below it the column counts as a linear combination.
const collinearTol = 1e-9

// checkCollinear runs a Cholesky factorisation of the information matrix
// (upper triangle in hess, k×k, parameter 0 = intercept) scaled to unit
// diagonal and reports the first column whose pivot 1 − R² falls below
// collinearTol, naming the earlier columns it is a combination of.
func checkCollinear(hess []float64, k int, d Data) error {
	label := func(j int) string {
		if j == 0 {
			return "(intercept)"
		}
		return d.name(j - 1)
	}
	a := func(i, j int) float64 {
		if i > j {
			i, j = j, i
		}
		return hess[i*k+j]
	}
	scale := make([]float64, k)
	for j := 0; j < k; j++ {
		if a(j, j) <= 0 {
			return fmt.Errorf("%w: %s is zero in every row", ErrSingular, label(j))
		}
		scale[j] = 1 / math.Sqrt(a(j, j))
	}
	L := make([]float64, k*k) // lower triangular, row-major
	indep := make([]bool, k)
	for c := 0; c < k; c++ {
		// Row c of L against the independent earlier columns.
		for j := 0; j < c; j++ {
			if !indep[j] {
				continue
			}
			s := a(c, j) * scale[c] * scale[j]
			for m := 0; m < j; m++ {
				s -= L[c*k+m] * L[j*k+m]
			}
			L[c*k+j] = s / L[j*k+j]
		}
		piv := 1.0
		for m := 0; m < c; m++ {
			piv -= L[c*k+m] * L[c*k+m]
		}
		if piv > collinearTol {
			L[c*k+c] = math.Sqrt(piv)
			indep[c] = true
			continue
		}
		// Column c = Σ coef[j]·column j: solve L' coef = L[c, :c] over earlier columns.
		coef := make([]float64, c)
		for j := c - 1; j >= 0; j-- {
			if !indep[j] {
				continue
			}
			s := L[c*k+j]
			for m := j + 1; m < c; m++ {
				s -= L[m*k+j] * coef[m]
			}
			coef[j] = s / L[j*k+j]
		}
		var with []string
		for j, v := range coef {
			if math.Abs(v) > 1e-6 {
				with = append(with, label(j))
			}
		}
		return fmt.Errorf("%w: %s is a linear combination of %s; drop one of them (for one-hot levels, leave out a baseline level)",
			ErrSingular, label(c), strings.Join(with, ", "))
	}
	return nil
}
