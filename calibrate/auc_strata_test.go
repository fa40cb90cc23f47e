package calibrate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// bruteStratum is the AUC of one stratum and its DeLong variance, both by
// the O(n²) pair matrix (as pair_auc in testdata/reference/logit_reference.py).
type bruteStratum struct {
	pairs, auc, v10, v01 float64
	w1, w0               float64
}

// bruteWithin computes, for every stratum label, the pair count, AUC and the
// DeLong components by looping over every (positive, negative) pair.
func bruteWithin(p, y, w []float64, strata []int32) map[int32]*bruteStratum {
	out := map[int32]*bruteStratum{}
	for i := range p {
		s := out[strata[i]]
		if s == nil {
			s = &bruteStratum{}
			out[strata[i]] = s
		}
		if y[i] == 1 {
			s.w1 += w[i]
		} else {
			s.w0 += w[i]
		}
	}
	score := func(i, j int) float64 { // positive i against negative j
		switch {
		case p[i] > p[j]:
			return 1
		case p[i] == p[j]:
			return 0.5
		}
		return 0
	}
	for label, s := range out {
		s.pairs = s.w1 * s.w0
		sum := 0.0
		for i := range p {
			for j := range p {
				if strata[i] == label && strata[j] == label && y[i] == 1 && y[j] == 0 {
					sum += w[i] * w[j] * score(i, j)
				}
			}
		}
		s.auc = sum / s.pairs
		// V10 per positive, V01 per negative, each a weighted share over the other class.
		for i := range p {
			if strata[i] != label {
				continue
			}
			v := 0.0
			for j := range p {
				if strata[j] != label {
					continue
				}
				if y[i] == 1 && y[j] == 0 {
					v += w[j] * score(i, j)
				} else if y[i] == 0 && y[j] == 1 {
					v += w[j] * score(j, i)
				}
			}
			if y[i] == 1 {
				d := v/s.w0 - s.auc
				s.v10 += w[i] * d * d
			} else {
				d := v/s.w1 - s.auc
				s.v01 += w[i] * d * d
			}
		}
		s.v10 = s.v10 / (s.w1 - 1) / s.w1
		s.v01 = s.v01 / (s.w0 - 1) / s.w0
	}
	return out
}

// randomStrata draws n rows in 4 strata with tied predictions (one decimal),
// integer weights 0–3, a stratum-specific base rate and a weak signal.
func randomStrata(n int, seed uint64) (p, y, w []float64, strata []int32) {
	r := rand.New(rand.NewPCG(seed, 9))
	for i := 0; i < n; i++ {
		s := int32(r.IntN(4)*7 - 5) // labels −5, 2, 9, 16
		x := math.Round(r.Float64()*10) / 10
		yi := 0.0
		if r.Float64() < 0.15+0.1*float64(s+5)/7+0.3*x {
			yi = 1
		}
		p, y, w, strata = append(p, x), append(y, yi), append(w, float64(r.IntN(4))), append(strata, s)
	}
	return p, y, w, strata
}

// TestAUCWithinMatchesPairCount compares AUCWithinConfidence with the O(n²)
// pair count and pair-matrix DeLong variances on random data with ties,
// zero weights and unsorted strata labels; tolerance 1e-12.
func TestAUCWithinMatchesPairCount(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			p, y, w, strata := randomStrata(300, seed)
			got := AUCWithinConfidence(p, y, w, strata, 0.95)
			brute := bruteWithin(p, y, w, strata)
			sum, pairs, variance := 0.0, 0.0, 0.0
			for _, s := range brute {
				sum += s.pairs * s.auc
				pairs += s.pairs
			}
			for _, s := range brute {
				f := s.pairs / pairs
				variance += f * f * (s.v10 + s.v01)
			}
			want := sum / pairs
			if math.Abs(got.AUC-want) > 1e-12 || math.Abs(AUCWithin(p, y, w, strata)-want) > 1e-12 {
				t.Errorf("AUC within = %.15g, pair count %.15g", got.AUC, want)
			}
			if math.Abs(got.Pairs-pairs) > 1e-9 {
				t.Errorf("pairs = %g, want %g", got.Pairs, pairs)
			}
			if math.Abs(got.SE-math.Sqrt(variance)) > 1e-12 {
				t.Errorf("SE = %.15g, pair matrix %.15g", got.SE, math.Sqrt(variance))
			}
			q := 1.959963984540054
			if math.Abs(got.Lo-(want-q*got.SE)) > 1e-12 || math.Abs(got.Hi-(want+q*got.SE)) > 1e-12 {
				t.Errorf("CI = [%g, %g], want %g ∓ %g·%g", got.Lo, got.Hi, want, q, got.SE)
			}
			if len(got.Strata) != 4 {
				t.Fatalf("%d strata, want 4", len(got.Strata))
			}
			for k, st := range got.Strata {
				if k > 0 && st.Stratum <= got.Strata[k-1].Stratum {
					t.Errorf("strata not in increasing order: %d after %d", st.Stratum, got.Strata[k-1].Stratum)
				}
				b := brute[st.Stratum]
				if math.Abs(st.AUC-b.auc) > 1e-12 || st.Positives != b.w1 || st.N != b.w1+b.w0 {
					t.Errorf("stratum %d: AUC %.15g n %g positives %g, pair count %.15g n %g positives %g", st.Stratum, st.AUC, st.N, st.Positives, b.auc, b.w1+b.w0, b.w1)
				}
				se := math.Sqrt(b.v10 + b.v01)
				if math.Abs(st.Lo-math.Max(0, b.auc-q*se)) > 1e-12 || math.Abs(st.Hi-math.Min(1, b.auc+q*se)) > 1e-12 {
					t.Errorf("stratum %d: CI [%g, %g], pair matrix SE %g", st.Stratum, st.Lo, st.Hi, se)
				}
			}
		})
	}
}

// TestAUCWithinOneStratum: with one stratum (all labels equal, or nil) the
// result is AUC and AUCConfidence's, to 1e-12.
func TestAUCWithinOneStratum(t *testing.T) {
	p, y, w, _ := randomStrata(2000, 4)
	same := make([]int32, len(p))
	for i := range same {
		same[i] = 42
	}
	wantLo, wantHi := AUCConfidence(p, y, w, 0.9)
	want := AUC(p, y, w)
	for name, strata := range map[string][]int32{"nil": nil, "one label": same} {
		got := AUCWithinConfidence(p, y, w, strata, 0.9)
		if math.Abs(got.AUC-want) > 1e-12 || math.Abs(got.Lo-wantLo) > 1e-12 || math.Abs(got.Hi-wantHi) > 1e-12 {
			t.Errorf("%s: %.15g [%.15g, %.15g], AUCConfidence %.15g [%.15g, %.15g]", name, got.AUC, got.Lo, got.Hi, want, wantLo, wantHi)
		}
		if len(got.Strata) != 1 || got.Strata[0].Lo != got.Lo || got.Strata[0].Hi != got.Hi {
			t.Errorf("%s: strata %+v", name, got.Strata)
		}
	}
}

// TestAUCWithinIgnoresStratumShift: a prediction that only knows the stratum
// (each stratum's base rate) has a pooled AUC far above ½ but an AUC within
// strata of exactly ½ (every within-stratum pair tied).
func TestAUCWithinIgnoresStratumShift(t *testing.T) {
	var p, y []float64
	var strata []int32
	for s := 0; s < 3; s++ {
		rate := 0.1 + 0.3*float64(s) // 0.1, 0.4, 0.7
		for i := 0; i < 100; i++ {
			yi := 0.0
			if float64(i) < rate*100 {
				yi = 1
			}
			p, y, strata = append(p, rate), append(y, yi), append(strata, int32(s))
		}
	}
	if pooled := AUC(p, y, nil); pooled < 0.7 {
		t.Fatalf("pooled AUC %g: the fixture does not reward the stratum", pooled)
	}
	if got := AUCWithin(p, y, nil, strata); got != 0.5 {
		t.Errorf("AUC within = %g, want 0.5", got)
	}
}

// TestAUCWithinEdgeCases: strata without both classes add no pairs and
// report AUC NaN; a stratum with one positive has an AUC but no interval;
// mismatched lengths give NaN.
func TestAUCWithinEdgeCases(t *testing.T) {
	p := []float64{0.9, 0.8, 0.1, 0.2, 0.3, 0.7, 0.6, 0.5, 0.4}
	y := []float64{1, 0, 0, 1, 0, 1, 1, 0, 0}
	strata := []int32{30, 30, 30, 14, 14, 7, 7, 7, 7}
	// Stratum 30: one positive (0.9) above both negatives: AUC 1, pairs 2.
	// Stratum 14: positive 0.2 below negative 0.3: AUC 0, pairs 1.
	// Stratum 7: positives 0.7, 0.6 above negatives 0.5, 0.4: AUC 1, pairs 4.
	// Within: (2·1 + 1·0 + 4·1)/7 = 6/7.
	got := AUCWithinConfidence(p, y, nil, strata, 0.95)
	if math.Abs(got.AUC-6.0/7) > 1e-15 || got.Pairs != 7 {
		t.Errorf("AUC = %g over %g pairs, want 6/7 over 7", got.AUC, got.Pairs)
	}
	// Every stratum orders its pairs perfectly or not at all, so each
	// structural component equals its AUC and the variance is 0; the strata
	// with a single positive (30, 14) or negative (14) add no variance rather
	// than an undefined one.
	if got.SE != 0 || got.Lo != got.AUC || got.Hi != got.AUC {
		t.Errorf("SE = %g, CI [%g, %g], want 0 and [6/7, 6/7]", got.SE, got.Lo, got.Hi)
	}
	if len(got.Strata) != 3 || got.Strata[0].Stratum != 7 || got.Strata[2].Stratum != 30 {
		t.Fatalf("strata %+v", got.Strata)
	}
	if s := got.Strata[2]; s.AUC != 1 || !math.IsNaN(s.Lo) || s.N != 3 || s.Positives != 1 {
		t.Errorf("stratum 30 (one positive) = %+v, want AUC 1, no interval", s)
	}
	noNeg := AUCWithinConfidence([]float64{0.2, 0.4, 0.3}, []float64{1, 1, 0}, nil, []int32{1, 1, 2}, 0.95)
	if !math.IsNaN(noNeg.AUC) || noNeg.Pairs != 0 || len(noNeg.Strata) != 2 || !math.IsNaN(noNeg.Strata[0].AUC) {
		t.Errorf("no stratum with both classes: %+v", noNeg)
	}
	if v := AUCWithin(p, y, nil, strata[1:]); !math.IsNaN(v) {
		t.Errorf("mismatched strata length: %g, want NaN", v)
	}
}

// BenchmarkAUCWithin times n rows in 5 strata. Run the 1M case with -benchtime=1x.
func BenchmarkAUCWithin(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("N=%.0e", float64(n)), func(b *testing.B) {
			r := rand.New(rand.NewPCG(5, 6))
			p, y := make([]float64, n), make([]float64, n)
			strata := make([]int32, n)
			for i := range p {
				p[i] = r.Float64()
				if r.Float64() < p[i]/3 {
					y[i] = 1
				}
				strata[i] = int32(r.IntN(5))
			}
			b.ResetTimer()
			cpu := processCPU()
			for b.Loop() {
				AUCWithinConfidence(p, y, nil, strata, 0.95)
			}
			b.ReportMetric((processCPU()-cpu)/float64(b.N), "cpu-s/op")
		})
	}
}
