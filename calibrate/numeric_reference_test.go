package calibrate

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

// numericReference is one fit of testdata/reference/numeric_reference.py.
type numericReference struct {
	Mode     string            `json:"mode"`
	Versions map[string]string `json:"versions"`
	Columns  map[string]struct {
		Edges    []float64 `json:"edges"`
		Baseline any       `json:"baseline"`
		Missing  bool      `json:"missing_column"`
		Bins     []struct {
			N   float64 `json:"n"`
			Pos float64 `json:"pos"`
		} `json:"bins"`
	} `json:"columns"`
	Fit refFit `json:"fit"`
}

// referenceRecords reads the CSV file testdata/reference/<name>, header first.
func referenceRecords(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "reference", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

// numericLeads reads testdata/reference/numeric_leads.csv into Leads: one
// row per lead (no landmarks, one channel), do_not_email and source as
// categorical attributes, visits, minutes (empty: missing) and balance as
// numeric ones, converted as the label.
func numericLeads(t *testing.T) *Leads {
	t.Helper()
	recs := referenceRecords(t, "numeric_leads.csv")
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	n := len(recs) - 1
	l := &Leads{Channels: []string{"web"}, Channel: make([]int32, n), Label: make([]float64, n),
		IDs: make([]string, n), Landmark: make([]int8, n), Seq: make([]int8, n), Rows: make([]int64, n),
		Attributes: []string{"do_not_email", "source"}, AttrValues: [][]string{make([]string, n), make([]string, n)}}
	for _, name := range []string{"visits", "minutes", "balance"} {
		l.Numbers = append(l.Numbers, numericInput{Name: "attr:" + name, Values: make([]float64, n)})
	}
	for i, r := range recs[1:] {
		l.IDs[i], l.Rows[i] = r[col["lead_id"]], int64(i)
		l.Label[i], _ = strconv.ParseFloat(r[col["converted"]], 64)
		l.AttrValues[0][i], l.AttrValues[1][i] = r[col["do_not_email"]], r[col["source"]]
		for k, name := range []string{"visits", "minutes", "balance"} {
			v := math.NaN()
			if s := r[col[name]]; s != "" {
				var err error
				if v, err = strconv.ParseFloat(s, 64); err != nil {
					t.Fatal(err)
				}
			}
			l.Numbers[k].Values[i] = v
		}
	}
	return l
}

// TestNumericFitMatchesStatsmodels builds the design of the flat export
// with monotone bins and with linear terms, and compares its columns, bin
// edges, tallies and baselines, and the fit's weights, standard errors,
// p-values and 95% CIs (compareFit) with statsmodels 0.13.5 Logit (newton,
// tol 1e-12) on the design that
// numeric_reference.py builds by its own implementation of the binning
// rule; tolerance 1e-6, relative above 1.
func TestNumericFitMatchesStatsmodels(t *testing.T) {
	l := numericLeads(t)
	all := make([]int, l.Len())
	for i := range all {
		all[i] = i
	}
	for _, mode := range []string{NumericBins, NumericLinear} {
		t.Run(mode, func(t *testing.T) {
			var ref numericReference
			b, err := os.ReadFile(filepath.Join("..", "testdata", "reference", "numeric_"+mode+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &ref); err != nil {
				t.Fatal(err)
			}
			d, warn := newDesign(l, &ActionValues{}, all, nil, designOptions{Transform: TransformCount, MinLeads: 30, Numeric: mode})
			if len(warn) > 0 {
				t.Errorf("warnings: %q", warn)
			}
			if !reflect.DeepEqual(d.names, ref.Fit.Names[1:]) {
				t.Fatalf("columns\n %q\nwant\n %q", d.names, ref.Fit.Names[1:])
			}
			for _, c := range d.numerics {
				rc := ref.Columns[c.name[len("attr:"):]]
				if mode == NumericBins {
					if !reflect.DeepEqual(c.edges, rc.Edges) || float64(c.baseline) != rc.Baseline {
						t.Errorf("%s: edges %v baseline %d, want %v baseline %v", c.name, c.edges, c.baseline, rc.Edges, rc.Baseline)
					}
					if len(c.bins) != len(rc.Bins) {
						t.Fatalf("%s: %d bins, want %d", c.name, len(c.bins), len(rc.Bins))
					}
					for k, b := range rc.Bins {
						if c.bins[k] != (binTally{n: b.N, pos: b.Pos}) {
							t.Errorf("%s: bin %d holds %+v, want %+v", c.name, k, c.bins[k], b)
						}
					}
				}
				if c.missing != rc.Missing {
					t.Errorf("%s: missing column %v, want %v", c.name, c.missing, rc.Missing)
				}
			}
			fit, err := FitLogit(context.Background(), Data{Names: d.names, X: d.matrix(l, &ActionValues{}, all, nil), Y: l.Label}, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			compareFit(t, fit, ref.Fit)
		})
	}
}
