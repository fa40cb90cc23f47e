package calibrate

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestLevelsMatchStatsmodels loads the flat export of
// testdata/reference/levels_reference.py (1000 undated leads, a real
// channel "other", empty channels and titles, rare channels) as a flat
// export is stored, builds the design from every lead (MinLeads 30) and
// fits it. The level coding and the fit must equal the script's own coding
// and statsmodels Logit (0.13.5) to 1e-6.
func TestLevelsMatchStatsmodels(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "reference"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Baselines map[string]string  `json:"baselines"`
		Names     []string           `json:"names"`
		Params    map[string]float64 `json:"params"`
		BSE       map[string]float64 `json:"bse"`
		LLF       float64            `json:"llf"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "levels.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "levels.csv")
	st := openStore(t, "")
	ctx := context.Background()
	if _, err := st.DB().ExecContext(ctx, `CREATE TEMP TABLE flat AS SELECT * FROM read_csv(?, all_varchar = true)`, csvPath); err != nil {
		t.Fatal(err)
	}
	// Stored as a flat export is: created_at NULL, an empty channel kept
	// empty, an empty title absent, the converted column as the outcome.
	for _, q := range []string{
		`ALTER TABLE leads ALTER created_at DROP NOT NULL`,
		`INSERT INTO leads SELECT lead_id, NULL, coalesce(channel, '') FROM flat`,
		`ALTER TABLE leads ADD COLUMN "attr:title" VARCHAR`,
		`UPDATE leads SET "attr:title" = flat.title FROM flat WHERE leads.lead_id = flat.lead_id`,
		`INSERT INTO outcomes SELECT lead_id, TIMESTAMP '2024-01-01', CASE converted WHEN '1' THEN 'won' ELSE 'lost' END, NULL FROM flat`,
	} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	p := fixtureParams()
	p.LandmarkDays = []float64{1}
	l, err := loadLeads(ctx, st, p, []string{"title"})
	if err != nil {
		t.Fatal(err)
	}
	all, n := matureRows(l)
	if n != 1000 || len(all) != 1000 {
		t.Fatalf("%d mature leads in %d rows, want 1000", n, len(all))
	}
	d, _ := newDesign(l, &ActionValues{}, all, nil, designOptions{MinLeads: 30})
	got := append([]string{}, d.names...)
	want := append([]string{}, ref.Names...)
	sort.Strings(got)
	sort.Strings(want)
	if len(got) != len(want) {
		t.Fatalf("columns %q, want %q", d.names, ref.Names)
	}
	for k := range got {
		if got[k] != want[k] {
			t.Fatalf("columns %q, want %q", d.names, ref.Names)
		}
	}
	for _, g := range d.groups {
		if g.baseline != ref.Baselines[g.key] {
			t.Errorf("%s baseline %q, want %q", g.key, g.baseline, ref.Baselines[g.key])
		}
	}
	x := d.matrix(l, &ActionValues{}, all, nil)
	fit, err := FitLogit(ctx, Data{Names: d.names, X: x, Y: labels(l, all)}, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-6
	check := func(name string, got, want float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.9f, statsmodels %.9f", name, got, want)
		}
	}
	check("intercept", fit.Intercept, ref.Params["const"])
	check("intercept SE", fit.SE[0], ref.BSE["const"])
	for j, name := range d.names {
		check(name, fit.Coef[j], ref.Params[name])
		check(name+" SE", fit.SE[j+1], ref.BSE[name])
	}
	check("log-likelihood", fit.LogLik, ref.LLF)
}
