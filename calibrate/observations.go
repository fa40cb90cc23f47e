package calibrate

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Observations lists the observations a fit's weighted unique rows stand for:
// observation o is unique row Row[o] of the Data the fit ran on, and belongs
// to cluster Cluster[o] (for landmark snapshots: o is one snapshot, the
// cluster is its lead). The observations of one cluster must be contiguous;
// cluster labels are otherwise arbitrary. Every unique row i must be named by
// exactly Data.W[i] observations (1 when W is nil), so that the observations
// are the rows the weights count.
type Observations struct {
	// Row is the 0-based unique row of each observation.
	Row []int32
	// Cluster is the cluster label of each observation, len(Row) of them.
	Cluster []int32
}

// Clustered reports whether some cluster has two or more observations
// (adjacent observations with the same label). When none has, observations
// are independent and the model covariance of FitLogit is the one to report
// (statsmodels' default); ClusterRobust would give the
// heteroskedasticity-robust one instead.
func (obs Observations) Clustered() bool {
	for o := 1; o < len(obs.Cluster); o++ {
		if obs.Cluster[o] == obs.Cluster[o-1] {
			return true
		}
	}
	return false
}

// CompressObservations returns the weighted unique (x, y) rows of d, in the
// order of their first row, and the Observations that map each row of d to
// its unique row and to its cluster, cluster[i]: what FitLogit and
// ClusterRobust take for snapshots of which many share their features. When
// more than half of the rows are distinct compression does not pay: d is
// returned as it is, with Row[i] = i. Each row of d is one observation, so
// d.W must be nil (or all 1). A copy of cluster is kept.
//
// Errors: d fails Data.Validate, has weights other than 1, or len(cluster)
// differs from its rows.
func CompressObservations(d Data, cluster []int32) (Data, Observations, error) {
	seed := maphash.MakeSeed()
	return compressObservations(d, cluster, func(b []byte) uint64 { return maphash.Bytes(seed, b) })
}

// compressObservations is CompressObservations with the hash of a row's
// bytes given (a test gives one that collides). Rows are found by their
// 64-bit hash and compared in full; rows whose hash collides with another
// row's go to a map keyed by their bytes.
func compressObservations(d Data, cluster []int32, hash func([]byte) uint64) (Data, Observations, error) {
	if err := d.Validate(); err != nil {
		return Data{}, Observations{}, fmt.Errorf("compress observations: %w", err)
	}
	n, p := d.dims()
	if len(cluster) != n {
		return Data{}, Observations{}, fmt.Errorf("compress observations: %d cluster labels for %d rows", len(cluster), n)
	}
	for i, w := range d.W {
		if w != 1 {
			return Data{}, Observations{}, fmt.Errorf("compress observations: row %d has weight %g, each row must be one observation", i+1, w)
		}
	}
	if n >= math.MaxInt32 {
		return Data{}, Observations{}, fmt.Errorf("compress observations: %d rows, at most %d are supported", n, math.MaxInt32-1)
	}
	obs := Observations{Row: make([]int32, n), Cluster: append([]int32(nil), cluster...)}
	raw := d.X.RawMatrix()
	row := func(i int) []float64 { return raw.Data[i*raw.Stride : i*raw.Stride+p] }
	same := func(i, j int) bool { return d.Y[i] == d.Y[j] && slices.Equal(row(i), row(j)) }
	key := make([]byte, 8*(p+1))
	byHash := make(map[uint64]int32)
	var collided map[string]int32
	var first []int
	var w []float64
	for i := 0; i < n; i++ {
		for j, v := range row(i) {
			binary.LittleEndian.PutUint64(key[8*j:], math.Float64bits(v))
		}
		binary.LittleEndian.PutUint64(key[8*p:], math.Float64bits(d.Y[i]))
		h := hash(key)
		u, ok := byHash[h]
		if ok && !same(i, first[u]) {
			u, ok = collided[string(key)]
			if !ok {
				if collided == nil {
					collided = map[string]int32{}
				}
				u = int32(len(first))
				collided[string(key)] = u
			}
		} else if !ok {
			u = int32(len(first))
			byHash[h] = u
		}
		if int(u) == len(first) {
			if 2*len(first) > n {
				for i := range obs.Row {
					obs.Row[i] = int32(i)
				}
				return d, obs, nil
			}
			first = append(first, i)
			w = append(w, 0)
		}
		w[u]++
		obs.Row[i] = u
	}
	x := mat.NewDense(len(first), p, nil)
	y := make([]float64, len(first))
	for u, i := range first {
		x.SetRow(u, row(i))
		y[u] = d.Y[i]
	}
	return Data{Names: d.Names, X: x, Y: y, W: w}, obs, nil
}

// runs checks obs against d and returns the start of each cluster's run of
// observations, with len(Row) appended as a sentinel.
func (obs Observations) runs(d Data) ([]int32, error) {
	n, _ := d.dims()
	if len(obs.Row) != len(obs.Cluster) {
		return nil, fmt.Errorf("observations: %d rows for %d cluster labels", len(obs.Row), len(obs.Cluster))
	}
	if len(obs.Row) == 0 {
		return nil, fmt.Errorf("observations: %w", ErrEmptyData)
	}
	if len(obs.Row) >= math.MaxInt32 {
		return nil, fmt.Errorf("observations: %d observations, at most %d are supported", len(obs.Row), math.MaxInt32-1)
	}
	count := make([]int32, n)
	for o, r := range obs.Row {
		if r < 0 || int(r) >= n {
			return nil, fmt.Errorf("observations: observation %d: row index %d is not in [0, %d)", o+1, r, n)
		}
		count[r]++
	}
	for i, c := range count {
		if w := d.weight(i); math.Abs(float64(c)-w) > 1e-9*math.Max(1, w) {
			return nil, fmt.Errorf("observations: unique row %d (index %d) has weight %g but %d observations", i+1, i, w, c)
		}
	}
	runs := []int32{0}
	for o := 1; o < len(obs.Cluster); o++ {
		if obs.Cluster[o] != obs.Cluster[o-1] {
			runs = append(runs, int32(o))
		}
	}
	if err := distinctLabels(obs.Cluster, runs); err != nil {
		return nil, fmt.Errorf("observations: %w", err)
	}
	return append(runs, int32(len(obs.Row))), nil
}

// distinctLabels returns an error naming a cluster label that starts two runs
// (a cluster whose observations are not contiguous) and the 1-based
// observation where it starts again. Dense labels are checked with a bit
// set, others by sorting the runs' labels.
func distinctLabels(labels []int32, runs []int32) error {
	lo, hi := labels[0], labels[0]
	for _, s := range runs {
		lo, hi = min(lo, labels[s]), max(hi, labels[s])
	}
	span := int64(hi) - int64(lo) + 1
	if span <= 64*int64(len(runs))+64 {
		seen := make([]uint64, (span+63)/64)
		for _, s := range runs {
			b := int64(labels[s]) - int64(lo)
			if seen[b/64]&(1<<(b%64)) != 0 {
				return fmt.Errorf("observations of cluster %d are not contiguous (again at observation %d)", labels[s], s+1)
			}
			seen[b/64] |= 1 << (b % 64)
		}
		return nil
	}
	type start struct{ label, at int32 }
	starts := make([]start, len(runs))
	for i, s := range runs {
		starts[i] = start{labels[s], s}
	}
	slices.SortFunc(starts, func(a, b start) int {
		if a.label != b.label {
			return cmp.Compare(a.label, b.label)
		}
		return cmp.Compare(a.at, b.at)
	})
	for i := 1; i < len(starts); i++ {
		if starts[i].label == starts[i-1].label {
			return fmt.Errorf("observations of cluster %d are not contiguous (again at observation %d)", starts[i].label, starts[i].at+1)
		}
	}
	return nil
}
