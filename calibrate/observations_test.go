package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// expand returns the rows of d as one row per observation, in the order of obs.
func expand(d Data, obs Observations) Data {
	_, p := d.X.Dims()
	x := mat.NewDense(len(obs.Row), p, nil)
	y := make([]float64, len(obs.Row))
	for o, r := range obs.Row {
		x.SetRow(o, d.X.RawRowView(int(r)))
		y[o] = d.Y[r]
	}
	return Data{Names: d.Names, X: x, Y: y}
}

// TestCompressObservations: compressing expanded snapshots gives distinct
// unique rows whose weights count their observations, a Row mapping back to
// the same (x, y), the clusters unchanged, and the same cluster-robust fit as
// the expanded rows (to 1e-9, relative above 1). A hash under which every row
// collides gives the identical result.
func TestCompressObservations(t *testing.T) {
	d0, obs0 := clusteredData(3000, 17)
	expanded := expand(d0, obs0)
	d, obs, err := CompressObservations(expanded, obs0.Cluster)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := expanded.X.Dims()
	u, _ := d.X.Dims()
	if u != len(d0.Y) || u >= n/2 {
		t.Fatalf("%d unique rows of %d, want %d", u, n, len(d0.Y))
	}
	if !slices.Equal(obs.Cluster, obs0.Cluster) || len(obs.Row) != n {
		t.Fatal("clusters changed or rows lost")
	}
	count := make([]float64, u)
	for o, r := range obs.Row {
		count[r]++
		if d.Y[r] != expanded.Y[o] || !slices.Equal(d.X.RawRowView(int(r)), expanded.X.RawRowView(o)) {
			t.Fatalf("observation %d maps to a different row", o)
		}
	}
	if !slices.Equal(count, d.W) {
		t.Errorf("weights %v, counts %v", d.W[:5], count[:5])
	}
	seen := map[[4]float64]bool{}
	for r := 0; r < u; r++ {
		x := d.X.RawRowView(r)
		k := [4]float64{x[0], x[1], x[2], d.Y[r]}
		if seen[k] {
			t.Fatalf("row %v twice", k)
		}
		seen[k] = true
	}
	collide := func([]byte) uint64 { return 7 }
	dc, obsc, err := compressObservations(expanded, obs0.Cluster, collide)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(dc.X, d.X) || !slices.Equal(dc.Y, d.Y) || !slices.Equal(dc.W, d.W) || !slices.Equal(obsc.Row, obs.Row) {
		t.Error("with colliding hashes the result differs")
	}
	fits := map[string]*LogitFit{}
	for name, c := range map[string]struct {
		d   Data
		obs Observations
	}{"expanded": {expanded, Observations{Row: identityRows(n), Cluster: obs0.Cluster}}, "compressed": {d, obs}} {
		fit, err := FitLogit(context.Background(), c.d, FitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if fits[name], err = ClusterRobust(context.Background(), fit, c.d, c.obs, ClusterOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for j := range fits["expanded"].SE {
		if a, b := fits["compressed"].SE[j], fits["expanded"].SE[j]; !near(a, b, 1e-9) {
			t.Errorf("SE[%d]: compressed %.12g, expanded %.12g", j, a, b)
		}
	}
}

// identityRows returns 0, 1, …, n−1.
func identityRows(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// TestCompressObservationsDoesNotPay: with mostly distinct rows the data come
// back as they are, each observation its own row.
func TestCompressObservationsDoesNotPay(t *testing.T) {
	d := syntheticData(500, 6, 3)
	for i := 0; i < 500; i++ {
		d.X.Set(i, 0, float64(i)/7) // distinct rows
	}
	clusters := make([]int32, 500)
	for i := range clusters {
		clusters[i] = int32(i / 3)
	}
	got, obs, err := CompressObservations(d, clusters)
	if err != nil {
		t.Fatal(err)
	}
	if got.X != d.X || got.W != nil || !slices.Equal(obs.Row, identityRows(500)) || !slices.Equal(obs.Cluster, clusters) {
		t.Errorf("distinct rows were not returned as they are")
	}
}

// TestCompressObservationsErrors: weighted rows and a wrong number of labels are refused.
func TestCompressObservationsErrors(t *testing.T) {
	d := syntheticData(50, 2, 3)
	weighted := d
	weighted.W = make([]float64, 50)
	for i := range weighted.W {
		weighted.W[i] = 1
	}
	weighted.W[9] = 2
	for _, c := range []struct {
		name     string
		d        Data
		clusters []int32
		want     string
	}{
		{"weighted", weighted, make([]int32, 50), "row 10 has weight 2"},
		{"labels", d, make([]int32, 49), "49 cluster labels for 50 rows"},
		{"nan", Data{X: mat.NewDense(1, 1, []float64{math.NaN()}), Y: []float64{1}}, make([]int32, 1), "not finite"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := CompressObservations(c.d, c.clusters)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "compress observations: ") {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// BenchmarkCompressObservations compresses n snapshots × 40 columns drawn
// from 1000 distinct rows. Run the 1M case with -benchtime=1x.
func BenchmarkCompressObservations(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("N=%.0e", float64(n)), func(b *testing.B) {
			d, obs := benchObservations(n, 1000)
			expanded := expand(d, obs)
			b.ResetTimer()
			cpu := processCPU()
			for b.Loop() {
				if _, _, err := CompressObservations(expanded, obs.Cluster); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((processCPU()-cpu)/float64(b.N), "cpu-s/op")
		})
	}
}

// TestObservationsClustered: one snapshot per lead is not clustered; two
// adjacent snapshots of one lead are.
func TestObservationsClustered(t *testing.T) {
	for _, c := range []struct {
		labels []int32
		want   bool
	}{
		{nil, false},
		{[]int32{4}, false},
		{[]int32{1, 2, 3, 1}, false}, // not contiguous: ClusterRobust refuses it
		{[]int32{1, 2, 2, 3}, true},
	} {
		if got := (Observations{Cluster: c.labels}).Clustered(); got != c.want {
			t.Errorf("Clustered(%v) = %v, want %v", c.labels, got, c.want)
		}
	}
}
