package calibrate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/queries"
)

// flatStore loads testdata/reference/numeric_leads.csv as a flat export:
// no dates, source as the channel, converted as the outcome column.
func flatStore(t *testing.T) *queries.Store {
	t.Helper()
	st := openStore(t, "")
	mp, err := queries.ParseMapping(strings.NewReader("leads:\n  source: channel\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(context.Background(), queries.LoadRequest{Leads: filepath.Join("..", "testdata", "reference", "numeric_leads.csv"),
		Mapping: mp, Outcome: queries.OutcomeColumn{Column: "converted"}}); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestWriteFlatTrainingIDs writes the training leads of the random split
// for numeric_reference.py (run with FUNNEL_WRITE_FLAT_IDS=1).
func TestWriteFlatTrainingIDs(t *testing.T) {
	if os.Getenv("FUNNEL_WRITE_FLAT_IDS") == "" {
		t.Skip("set FUNNEL_WRITE_FLAT_IDS=1 to rewrite testdata/reference/numeric_flat_train.txt")
	}
	_, _, rs, err := run(context.Background(), flatStore(t), Options{Split: "random", Attributes: []string{"do_not_email", "visits", "minutes", "balance"}, MinLeads: 30})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, i := range rs.train {
		b.WriteString(rs.leads.IDs[i] + "\n")
	}
	if err := os.WriteFile(filepath.Join("..", "testdata", "reference", "numeric_flat_train.txt"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNumericFlatExportMatchesStatsmodels is issue 12's "done when": the
// flat export loads with its outcome column and no dates, calibrates with
// --split random and numeric attributes, and the fit equals statsmodels
// Logit on the same training leads (numeric_flat_train.txt) with the same
// binned or linear features (numeric_flat_*.json, numeric_reference.py):
// weights, SEs and the intercept to 1e-6, relative above 1.
func TestNumericFlatExportMatchesStatsmodels(t *testing.T) {
	st := flatStore(t)
	ids := strings.Fields(string(mustRead(t, filepath.Join("..", "testdata", "reference", "numeric_flat_train.txt"))))
	for _, mode := range []string{NumericBins, NumericLinear} {
		t.Run(mode, func(t *testing.T) {
			res, _, rs, err := run(context.Background(), st, Options{Split: "random", Numeric: mode,
				Attributes: []string{"do_not_email", "visits", "minutes", "balance"}, MinLeads: 30})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs.train) != len(ids) {
				t.Fatalf("%d training leads, the reference %d", len(rs.train), len(ids))
			}
			for k, i := range rs.train {
				if rs.leads.IDs[i] != ids[k] {
					t.Fatalf("training lead %d is %s, the reference's %s: the split changed; rerun TestWriteFlatTrainingIDs and numeric_reference.py", k, rs.leads.IDs[i], ids[k])
				}
			}
			var ref numericReference
			if err := json.Unmarshal(mustRead(t, filepath.Join("..", "testdata", "reference", "numeric_flat_"+mode+".json")), &ref); err != nil {
				t.Fatal(err)
			}
			if len(res.Coefficients) != len(ref.Fit.Names)-1 {
				t.Fatalf("%d coefficients, the reference %d: %+v", len(res.Coefficients), len(ref.Fit.Names)-1, res.Coefficients)
			}
			const tol = 1e-6
			if !near(res.Intercept, ref.Fit.Params[0], tol) || !near(res.InterceptSE, ref.Fit.BSE[0], tol) {
				t.Errorf("intercept %.10g (SE %.10g), statsmodels %.10g (%.10g)", res.Intercept, res.InterceptSE, ref.Fit.Params[0], ref.Fit.BSE[0])
			}
			for j, c := range res.Coefficients {
				name, w, se := ref.Fit.Names[j+1], ref.Fit.Params[j+1], ref.Fit.BSE[j+1]
				if c.Feature != name || !near(c.Weight, w, tol) || !near(c.SE, se, tol) {
					t.Errorf("%s: weight %.10g SE %.10g, statsmodels %s %.10g %.10g", c.Feature, c.Weight, c.SE, name, w, se)
				}
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
