package calibrate

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// refFit is one statsmodels fit in the JSON written by
// testdata/reference/cluster_reference.py.
type refFit struct {
	Names   []string  `json:"names"`
	Params  []float64 `json:"params"`
	BSE     []float64 `json:"bse"`
	PValues []float64 `json:"pvalues"`
	CILow   []float64 `json:"conf_int_low"`
	CIHigh  []float64 `json:"conf_int_high"`
}

// clusterReference is landmarks.json or single.json.
type clusterReference struct {
	Versions map[string]string `json:"versions"`
	Cluster  struct {
		Groups int     `json:"groups"`
		NObs   int     `json:"nobs"`
		Factor float64 `json:"factor"`
	} `json:"cluster"`
	Fit          refFit `json:"fit"`
	FitNonrobust refFit `json:"fit_nonrobust"`
	FitCluster   refFit `json:"fit_cluster"`
}

// readColumns reads a CSV of numbers from testdata/reference into columns by header name.
func readColumns(t *testing.T, name string) (header []string, cols map[string][]float64) {
	t.Helper()
	recs := referenceRecords(t, name)
	cols = map[string][]float64{}
	for _, rec := range recs[1:] {
		for j, h := range recs[0] {
			v, err := strconv.ParseFloat(rec[j], 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			cols[h] = append(cols[h], v)
		}
	}
	return recs[0], cols
}

// dataFrom builds Data from the x* columns, y and (when present) w.
func dataFrom(header []string, cols map[string][]float64) Data {
	var names []string
	for _, h := range header {
		if strings.HasPrefix(h, "x") {
			names = append(names, h)
		}
	}
	n := len(cols["y"])
	x := mat.NewDense(n, len(names), nil)
	for j, h := range names {
		for i, v := range cols[h] {
			x.Set(i, j, v)
		}
	}
	return Data{Names: names, X: x, Y: cols["y"], W: cols["w"]}
}

// int32s converts whole numbers to int32.
func int32s(v []float64) []int32 {
	out := make([]int32, len(v))
	for i, f := range v {
		out[i] = int32(f)
	}
	return out
}

// loadClusterReference reads testdata/reference/<name>.json.
func loadClusterReference(t *testing.T, name string) clusterReference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "reference", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref clusterReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// compareFit checks params, SE, p-values and 95% CIs of fit against a
// statsmodels fit: tolerance 1e-6, relative when the value exceeds 1 (near);
// p-values relative to themselves (they can be tiny).
func compareFit(t *testing.T, fit *LogitFit, ref refFit) {
	t.Helper()
	const tol = 1e-6
	if len(fit.SE) != len(ref.BSE) {
		t.Fatalf("%d SEs, statsmodels %d", len(fit.SE), len(ref.BSE))
	}
	for j := range ref.Params {
		b, _ := fit.param(j)
		if !near(b, ref.Params[j], tol) {
			t.Errorf("%s: param = %.10g, statsmodels %.10g", ref.Names[j], b, ref.Params[j])
		}
		if !near(fit.SE[j], ref.BSE[j], tol) {
			t.Errorf("%s: SE = %.10g, statsmodels %.10g", ref.Names[j], fit.SE[j], ref.BSE[j])
		}
		if pv := fit.PValue(j); math.Abs(pv-ref.PValues[j]) > tol*math.Max(ref.PValues[j], 1e-12) {
			t.Errorf("%s: p = %.10g, statsmodels %.10g", ref.Names[j], pv, ref.PValues[j])
		}
		lo, hi := fit.CI(j, 0.95)
		if !near(lo, ref.CILow[j], tol) || !near(hi, ref.CIHigh[j], tol) {
			t.Errorf("%s: CI = [%.10g, %.10g], statsmodels [%.10g, %.10g]", ref.Names[j], lo, hi, ref.CILow[j], ref.CIHigh[j])
		}
	}
}

// TestClusterRobustMatchesStatsmodels compares with statsmodels 0.13.5
// Logit(y, X).fit(cov_type='cluster', cov_kwds={'groups': lead}) on 1984
// landmark snapshots of 600 leads (testdata/reference/cluster_reference.py),
// given as the expanded snapshots and as 125 weighted unique rows (in
// numpy's order, shuffled with sparse cluster labels, and as
// CompressObservations makes them); tolerance 1e-6, relative above 1.
func TestClusterRobustMatchesStatsmodels(t *testing.T) {
	ref := loadClusterReference(t, "landmarks")
	header, obsCols := readColumns(t, "landmarks.csv")
	rowHeader, rowCols := readColumns(t, "landmarks_rows.csv")
	expanded := dataFrom(header, obsCols)
	unique := dataFrom(rowHeader, rowCols)
	clusters := int32s(obsCols["cluster"])
	identity := make([]int32, len(clusters))
	for i := range identity {
		identity[i] = int32(i)
	}
	// The unique rows in another order, and labels far apart (the sorting check).
	perm := rand.New(rand.NewPCG(3, 4)).Perm(len(unique.Y))
	shuffled := Data{Names: unique.Names, X: mat.NewDense(len(perm), len(unique.Names), nil), Y: make([]float64, len(perm)), W: make([]float64, len(perm))}
	for old, nw := range perm {
		shuffled.X.SetRow(nw, unique.X.RawRowView(old))
		shuffled.Y[nw], shuffled.W[nw] = unique.Y[old], unique.W[old]
	}
	shuffledRows := make([]int32, len(clusters))
	sparse := make([]int32, len(clusters))
	for o, r := range int32s(obsCols["row"]) {
		shuffledRows[o] = int32(perm[r])
		sparse[o] = clusters[o]*3_000_017 - 900_000_000
	}
	compressed, compressedObs, err := CompressObservations(expanded, clusters)
	if err != nil {
		t.Fatal(err)
	}
	if len(compressed.Y) != len(unique.Y) {
		t.Fatalf("CompressObservations: %d unique rows, numpy %d", len(compressed.Y), len(unique.Y))
	}
	cases := []struct {
		name string
		d    Data
		obs  Observations
	}{
		{"CompressObservations", compressed, compressedObs},
		{"expanded", expanded, Observations{Row: identity, Cluster: clusters}},
		{"unique rows", unique, Observations{Row: int32s(obsCols["row"]), Cluster: clusters}},
		{"shuffled rows, sparse labels", shuffled, Observations{Row: shuffledRows, Cluster: sparse}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fit, err := FitLogit(context.Background(), c.d, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// The model covariance first: statsmodels' default bse.
			compareFit(t, fit, ref.FitNonrobust)
			robust, err := ClusterRobust(context.Background(), fit, c.d, c.obs, ClusterOptions{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			compareFit(t, robust, ref.Fit)
			if robust.CovType != CovCluster || robust.Clusters != ref.Cluster.Groups {
				t.Errorf("robust fit says %q with %d clusters, want cluster with %d", robust.CovType, robust.Clusters, ref.Cluster.Groups)
			}
			if fit.CovType != CovModel || !near(fit.SE[5], ref.FitNonrobust.BSE[5], 1e-6) {
				t.Errorf("the input fit changed: %q, SE %v", fit.CovType, fit.SE)
			}
		})
	}
	// The clustering matters on this data: the robust SE of the lead-level
	// flag is far from the model one, so equality above is not by accident.
	if r := ref.Fit.BSE[5] / ref.FitNonrobust.BSE[5]; r < 1.5 {
		t.Errorf("reference robust/model SE ratio %.3f: the data do not exercise clustering", r)
	}
}

// TestClusterRobustSingleMatchesStatsmodels: with one snapshot per lead the
// plain fit equals statsmodels' default Logit, and ClusterRobust with one
// cluster per row equals cov_type='cluster' with groups = arange(n) (the
// path for clusters of one observation, on 800 unique rows).
func TestClusterRobustSingleMatchesStatsmodels(t *testing.T) {
	ref := loadClusterReference(t, "single")
	header, cols := readColumns(t, "single.csv")
	d := dataFrom(header, cols)
	fit, err := FitLogit(context.Background(), d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fit.CovType != CovModel {
		t.Errorf("FitLogit CovType = %q, want %q", fit.CovType, CovModel)
	}
	compareFit(t, fit, ref.Fit)
	rows := make([]int32, len(d.Y))
	for i := range rows {
		rows[i] = int32(i)
	}
	robust, err := ClusterRobust(context.Background(), fit, d, Observations{Row: rows, Cluster: int32s(cols["cluster"])}, ClusterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	compareFit(t, robust, ref.FitCluster)
}

// naiveClusterCov is the sandwich computed the long way: every observation's
// score from the unique rows, summed per cluster label through a map, the
// meat as a sum of outer products, and c·H⁻¹MH⁻¹ with H⁻¹ = fit.Cov.
func naiveClusterCov(fit *LogitFit, d Data, obs Observations) []float64 {
	_, p := d.X.Dims()
	k := p + 1
	sums := map[int32][]float64{}
	for o, r := range obs.Row {
		x := d.X.RawRowView(int(r))
		e := d.Y[r] - fit.Predict(x)
		s := sums[obs.Cluster[o]]
		if s == nil {
			s = make([]float64, k)
			sums[obs.Cluster[o]] = s
		}
		s[0] += e
		for j, v := range x {
			s[j+1] += e * v
		}
	}
	meat := make([]float64, k*k)
	for _, s := range sums {
		for i := range s {
			for j := range s {
				meat[i*k+j] += s[i] * s[j]
			}
		}
	}
	g, n := float64(len(sums)), float64(len(obs.Row))
	c := g / (g - 1) * (n - 1) / (n - float64(k))
	out := make([]float64, k*k)
	for a := 0; a < k; a++ {
		for b := 0; b < k; b++ {
			v := 0.0
			for i := 0; i < k; i++ {
				for j := 0; j < k; j++ {
					v += fit.Cov(a, i) * meat[i*k+j] * fit.Cov(j, b)
				}
			}
			out[a*k+b] = c * v
		}
	}
	return out
}

// clusteredData draws leads with 1–5 snapshots each (several chunks of
// clusters of both kinds), 3 discrete features so unique rows repeat, and
// returns the unique rows with the observations behind them.
func clusteredData(leads int, seed uint64) (Data, Observations) {
	r := rand.New(rand.NewPCG(seed, 7))
	type key [4]float64
	index := map[key]int32{}
	var x, y, w []float64
	var obs Observations
	for g := 0; g < leads; g++ {
		u := r.NormFloat64()
		flag := float64(r.IntN(2))
		for s := 0; s < 1+r.IntN(5); s++ {
			row := key{flag, float64(s), float64(r.IntN(4)), 0}
			if r.Float64() < sigmoid(-1+0.5*flag+0.2*row[2]-0.1*row[1]+u) {
				row[3] = 1
			}
			i, ok := index[row]
			if !ok {
				i = int32(len(y))
				index[row] = i
				x = append(x, row[:3]...)
				y = append(y, row[3])
				w = append(w, 0)
			}
			w[i]++
			obs.Row = append(obs.Row, i)
			obs.Cluster = append(obs.Cluster, int32(g))
		}
	}
	return Data{X: mat.NewDense(len(y), 3, x), Y: y, W: w}, obs
}

// TestClusterRobustMatchesNaiveSum checks the chunked, parallel meat against
// the long way on 30,000 leads (about 90,000 snapshots: several chunks of
// single and multi-observation clusters), with 1 and 3 workers; tolerance
// 1e-10 relative to the largest entry.
func TestClusterRobustMatchesNaiveSum(t *testing.T) {
	d, obs := clusteredData(30_000, 11)
	fit, err := FitLogit(context.Background(), d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := naiveClusterCov(fit, d, obs)
	scale := 0.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for _, workers := range []int{1, 3} {
		robust, err := ClusterRobust(context.Background(), fit, d, obs, ClusterOptions{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		k := len(fit.Coef) + 1
		for i := 0; i < k; i++ {
			for j := 0; j < k; j++ {
				if got := robust.Cov(i, j); math.Abs(got-want[i*k+j]) > 1e-10*scale {
					t.Errorf("workers %d: cov[%d][%d] = %.12g, long way %.12g", workers, i, j, got, want[i*k+j])
				}
			}
		}
	}
}

// TestClusterRobustErrors: each malformed input gives an error naming the
// problem, and never a panic.
func TestClusterRobustErrors(t *testing.T) {
	d, obs := clusteredData(200, 5)
	fit, err := FitLogit(context.Background(), d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	robust, err := ClusterRobust(context.Background(), fit, d, obs, ClusterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	clone := func(o Observations) Observations {
		return Observations{Row: append([]int32(nil), o.Row...), Cluster: append([]int32(nil), o.Cluster...)}
	}
	// Observations 0 and the last belong to different clusters; give the last
	// the first's label: a cluster that is not contiguous.
	split := clone(obs)
	split.Cluster[len(split.Cluster)-1] = split.Cluster[0]
	splitSparse := clone(split)
	for o := range splitSparse.Cluster {
		splitSparse.Cluster[o] *= 9_000_011
	}
	outOfRange := clone(obs)
	outOfRange.Row[3] = int32(len(d.Y))
	recount := clone(obs)
	recount.Row[0] = (obs.Row[0] + 1) % int32(len(d.Y)) // one more for that row, one fewer for the first
	oneCluster := clone(obs)
	for o := range oneCluster.Cluster {
		oneCluster.Cluster[o] = 4
	}
	wide := Data{X: mat.NewDense(len(d.Y), 4, nil), Y: d.Y, W: d.W}
	cases := []struct {
		name string
		fit  *LogitFit
		d    Data
		obs  Observations
		want string
	}{
		{"nil fit", nil, d, obs, "no fit"},
		{"already robust", robust, d, obs, "already carries"},
		{"columns differ", fit, wide, obs, "3 coefficients, data 4 columns"},
		{"lengths differ", fit, d, Observations{Row: obs.Row, Cluster: obs.Cluster[1:]}, "rows for"},
		{"empty", fit, d, Observations{}, "no rows"},
		{"not contiguous", fit, d, split, "not contiguous"},
		{"not contiguous, sparse labels", fit, d, splitSparse, "not contiguous"},
		{"row out of range", fit, d, outOfRange, "is not in [0,"},
		{"counts differ from weights", fit, d, recount, "has weight"},
		{"one cluster", fit, d, oneCluster, "1 cluster"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ClusterRobust(context.Background(), c.fit, c.d, c.obs, ClusterOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "cluster covariance: ") {
				t.Errorf("err = %v, want it prefixed with what was being done", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ClusterRobust(ctx, fit, d, obs, ClusterOptions{}); err == nil {
		t.Error("cancelled context: no error")
	}
}

// BenchmarkClusterRobust times the sandwich on n snapshots of about n/3
// leads (1–5 snapshots each) × 40 columns, given as n unique rows
// (continuous features: the worst case, nothing aggregates) and as 1000
// weighted unique rows (binned features). Run the 1M cases with -benchtime=1x.
func BenchmarkClusterRobust(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		for _, unique := range []int{n, 1000} {
			b.Run(fmt.Sprintf("N=%.0e/unique=%.0e", float64(n), float64(unique)), func(b *testing.B) {
				if testing.Short() && n > 100_000 {
					b.Skip("large benchmark")
				}
				d, obs := benchObservations(n, unique)
				fit, err := FitLogit(context.Background(), d, FitOptions{})
				if err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				cpu := processCPU()
				for b.Loop() {
					if _, err := ClusterRobust(context.Background(), fit, d, obs, ClusterOptions{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((processCPU()-cpu)/float64(b.N), "cpu-s/op")
			})
		}
	}
}

// processCPU returns the user and system CPU seconds this process has used:
// on a shared machine the wall time per op varies with the load, the CPU
// time much less.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// benchObservations returns unique rows of syntheticData(unique, 40) and n
// observations in clusters of 1–5, each observation a random unique row
// (the identity when unique == n), with the weights counting them.
func benchObservations(n, unique int) (Data, Observations) {
	d := syntheticData(unique, 40, 42)
	r := rand.New(rand.NewPCG(1, 2))
	obs := Observations{Row: make([]int32, n), Cluster: make([]int32, n)}
	d.W = make([]float64, unique)
	lead := int32(0)
	for o := 0; o < n; {
		size := 1 + r.IntN(5)
		for s := 0; s < size && o < n; s++ {
			row := int32(o)
			if unique < n {
				row = int32(r.IntN(unique))
			}
			obs.Row[o], obs.Cluster[o] = row, lead
			d.W[row]++
			o++
		}
		lead++
	}
	return d, obs
}
