package oracle

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeFixture writes the five files of a hand-made data set into a new
// folder, with files[name] replacing the default text of that file.
func writeFixture(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	def := map[string]string{
		"truth.yaml": `planted_age_days: 7
horizon_days: 180
half_life_days: 14
intercept: -3
sales_stages: [sal, sql, opportunity]
null_actions: [page_view]
weights:
  "channel:referral": 1.0
  "attr:title=executive": 0.5
  "action:demo_request": 2.0
  "action:page_view": 0
unknown_key_is_ignored: 1
`,
		// A: referral executive, handed to sales on day 9, won on day 59.
		// B: accepted by sales exactly at its day-7 landmark, lost.
		// C: won on day 197, beyond the 180-day horizon.
		// D: created 5 days before the end of the data.
		// E: closed on day 2 without any sales stage.
		"leads.csv": `lead_id,created_at,channel,title,lead_quality
A,2025-01-01 00:00:00,referral,executive,A
B,2025-01-01,organic,manager,
C,2025-06-01T00:00:00Z,organic,executive,
D,2026-01-05 00:00:00,referral,student,
E,2025-02-01 00:00:00,organic,manager,
`,
		"events.csv": `lead_id,occurred_at,action,value
A,2025-01-08 00:00:00,demo_request,
A,2025-01-01 00:00:00,demo_request,
A,2025-01-04 12:00:00,page_view,3
B,2025-01-02 00:00:00,page_view,1
C,2026-01-10 00:00:00,page_view,1
Z,2025-01-02 00:00:00,page_view,1
`,
		"stages.csv": `lead_id,stage,entered_at
A,lead,2025-01-01 00:00:00
A,mql,2025-01-03 00:00:00
A,SAL,2025-01-10 00:00:00
B,sal,2025-01-08 00:00:00
`,
		"outcomes.csv": `lead_id,closed_at,outcome,amount
A,2025-03-01 00:00:00,won,5000
B,2025-02-01 00:00:00,lost,100
C,2025-12-15 00:00:00,Won,
E,2025-02-03 00:00:00,lost,
`,
	}
	for name, text := range def {
		if v, ok := files[name]; ok {
			text = v
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var sales = []string{"sal", "sql", "opportunity"}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestReadFixture(t *testing.T) {
	d, err := Read(writeFixture(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Leads) != 5 || d.Orphans != 1 {
		t.Fatalf("%d leads, %d orphans; want 5 and 1 (Z's event)", len(d.Leads), d.Orphans)
	}
	// The latest timestamp is C's page view.
	if want := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC); !d.DataEnd.Equal(want) {
		t.Errorf("DataEnd %v, want %v", d.DataEnd, want)
	}
	a := d.Lead("A")
	if a.Attributes["title"] != "executive" || a.Attributes["lead_quality"] != "A" || len(a.Attributes) != 2 {
		t.Errorf("A attributes %v", a.Attributes)
	}
	// Events sorted by time: the demo request of day 0 first.
	if a.Events[0].Action != "demo_request" || !a.Events[0].At.Equal(a.Created) || a.Events[1].Value != "3" {
		t.Errorf("A events %+v", a.Events)
	}
	if d.Truth.PlantedAgeDays != 7 || d.Truth.Weights["action:demo_request"] != 2 || d.Truth.NullActions[0] != "page_view" {
		t.Errorf("truth %+v", d.Truth)
	}
	// Labels: A won on day 59; C's win on day 197 is beyond 180 days; the
	// outcome is compared in lower case.
	for id, want := range map[string]bool{"A": true, "B": false, "C": false, "D": false} {
		if got := d.Label(d.Lead(id)); got != want {
			t.Errorf("Label(%s) = %v, want %v", id, got, want)
		}
	}
	// Mature: created + 180 days ≤ 2026-01-10, i.e. created by 2025-07-14.
	for id, want := range map[string]bool{"A": true, "C": true, "D": false} {
		if got := d.Mature(d.Lead(id)); got != want {
			t.Errorf("Mature(%s) = %v, want %v", id, got, want)
		}
	}
}

func TestTrueLogitByHand(t *testing.T) {
	d, err := Read(writeFixture(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	// A at day 7 (2025-01-08 00:00): the demo request of day 0 is 7 days
	// old, 0.5^(7/14) = 0.70710678; the one at exactly day 7 is not before
	// the landmark; page_view weighs 0.
	// −3 + 1 (referral) + 0.5 (executive) + 2 × 0.70710678 = −0.08578644.
	if got := d.TrueLogit(d.Lead("A")); !near(got, -1.5+2*math.Sqrt(0.5)) {
		t.Errorf("TrueLogit(A) = %.9f, want −0.085786438", got)
	}
	// B: organic, manager (no weights): the intercept.
	if got := d.TrueLogit(d.Lead("B")); got != -3 {
		t.Errorf("TrueLogit(B) = %v, want −3", got)
	}
}

func TestSnapshotsByHand(t *testing.T) {
	d, err := Read(writeFixture(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	ids := func(s []Snapshot) string {
		var b []string
		for _, x := range s {
			b = append(b, x.LeadID)
		}
		return strings.Join(b, ",")
	}
	// Day 7: A (sales on day 9) and C are in; B entered sal exactly at its
	// landmark; D's landmark (2026-01-12) is past the end of the data; E
	// closed on day 2.
	s7 := d.Snapshots(7, sales)
	if got := ids(s7); got != "A,C" {
		t.Fatalf("day-7 snapshots %s, want A,C", got)
	}
	a := s7[0]
	if !a.Landmark.Equal(time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC)) || !a.Label || !a.Mature || a.Channel != "referral" {
		t.Errorf("A snapshot %+v", a)
	}
	// Counts strictly before the landmark: one demo request, one page view
	// (3.5 days old: 0.5^(3.5/14) = 0.5^0.25 = 0.84089642).
	if a.Counts["demo_request"] != 1 || a.Counts["page_view"] != 1 || len(a.Counts) != 2 {
		t.Errorf("A counts %v", a.Counts)
	}
	if !near(a.Decayed["demo_request"], math.Sqrt(0.5)) || !near(a.Decayed["page_view"], math.Pow(0.5, 0.25)) {
		t.Errorf("A decayed %v", a.Decayed)
	}
	if !near(a.TrueLogit, d.TrueLogit(d.Lead("A"))) {
		t.Errorf("A TrueLogit %v", a.TrueLogit)
	}
	// Half-life 7 days: 0.5^(7/7) = 0.5 and 0.5^(3.5/7) = 0.70710678.
	h := d.SnapshotsHalfLife(7, 7, sales)
	if !near(h[0].Decayed["demo_request"], 0.5) || !near(h[0].Decayed["page_view"], math.Sqrt(0.5)) {
		t.Errorf("A decayed at half-life 7: %v", h[0].Decayed)
	}
	// Day 3: B too (sales on day 7), and D (landmark 2026-01-08 ≤ end, immature).
	s3 := d.Snapshots(3, sales)
	if got := ids(s3); got != "A,B,C,D" {
		t.Errorf("day-3 snapshots %s, want A,B,C,D", got)
	}
	if s3[3].Mature {
		t.Errorf("D marked mature")
	}
	// Day 10: A entered SAL on day 9 (matched in any case).
	if got := ids(d.Snapshots(10, sales)); got != "C" {
		t.Errorf("day-10 snapshots %s, want C", got)
	}
	// Without sales stages, A and B stay at day 10 (their outcomes come
	// later); E closed on day 2.
	if got := ids(d.Snapshots(10, nil)); got != "A,B,C" {
		t.Errorf("day-10 snapshots without sales stages %s, want A,B,C", got)
	}
}

func TestOldCutoffCountsByHand(t *testing.T) {
	d, err := Read(writeFixture(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	w := d.OldCutoffCounts(30, sales)
	if len(w) != 5 {
		t.Fatalf("%d windows", len(w))
	}
	// A: min(day 30, SAL on day 9) = 2025-01-10: both demo requests (days 0
	// and 7) and the page view count.
	if !w[0].Cutoff.Equal(time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)) || w[0].Counts["demo_request"] != 2 || w[0].Counts["page_view"] != 1 {
		t.Errorf("A window %+v", w[0])
	}
	// B: SAL on day 7 ends the window: the page view of day 1 counts.
	if !w[1].Cutoff.Equal(time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC)) || w[1].Counts["page_view"] != 1 {
		t.Errorf("B window %+v", w[1])
	}
	// C: no sales stage: day 30; its page view (2026) is later.
	if !w[2].Cutoff.Equal(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) || len(w[2].Counts) != 0 {
		t.Errorf("C window %+v", w[2])
	}
}

func TestAUCByHand(t *testing.T) {
	cases := []struct {
		name   string
		scores []float64
		labels []bool
		want   float64
	}{
		// Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 beats
		// 0.1 only, 0.8 beats both: 3 of 4 pairs.
		{"no ties", []float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, 0.75},
		// Positive 0.5 against 0.5 (tie, ½) and 0.2 (1): 1.5 of 2.
		{"tie", []float64{0.5, 0.5, 0.2}, []bool{true, false, false}, 0.75},
		{"all tied", []float64{1, 1, 1, 1}, []bool{true, false, true, false}, 0.5},
		{"reversed", []float64{3, 2, 1}, []bool{false, true, true}, 0},
		{"no positive", []float64{1, 2}, []bool{false, false}, math.NaN()},
		{"lengths differ", []float64{1, 2}, []bool{true}, math.NaN()},
		{"NaN score", []float64{math.NaN(), 2}, []bool{true, false}, math.NaN()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := AUC(c.scores, c.labels)
			if math.IsNaN(c.want) != math.IsNaN(got) || (!math.IsNaN(got) && !near(got, c.want)) {
				t.Errorf("AUC = %v, want %v", got, c.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	cases := []struct {
		name, file, text, want string
	}{
		{"bad timestamp", "events.csv", "lead_id,occurred_at,action\nA,2025-01-02 00:00:00,x\nA,2025-13-01,x\n", "events.csv line 3: occurred_at: \"2025-13-01\" is not a timestamp"},
		{"missing column", "stages.csv", "lead_id,stage\nA,mql\n", "stages.csv line 1: column entered_at missing"},
		{"empty lead id", "leads.csv", "lead_id,created_at,channel\n,2025-01-01,web\n", "leads.csv line 2: empty lead_id"},
		{"duplicate lead", "leads.csv", "lead_id,created_at,channel\nA,2025-01-01,web\nA,2025-01-02,web\n", "leads.csv line 3: lead_id \"A\" appears twice"},
		{"bad outcome", "outcomes.csv", "lead_id,closed_at,outcome\nA,2025-01-01,maybe\n", "outcomes.csv line 2: outcome \"maybe\""},
		{"ragged row", "events.csv", "lead_id,occurred_at,action\nA,2025-01-02\n", "events.csv"},
		{"empty file", "leads.csv", "", "leads.csv: empty file"},
		{"no planted age", "truth.yaml", "horizon_days: 180\nhalf_life_days: 14\nintercept: 0\n", "planted_age_days missing"},
		{"no intercept", "truth.yaml", "planted_age_days: 7\nhorizon_days: 180\nhalf_life_days: 14\n", "intercept missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(writeFixture(t, map[string]string{c.file: c.text}))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
	if _, err := Read(filepath.Join(t.TempDir(), "none")); err == nil || !strings.Contains(err.Error(), "truth.yaml") {
		t.Errorf("missing folder: err = %v", err)
	}
}

func TestParseTime(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2025-03-04", time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)},
		{"2025-03-04 05:06:07", time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)},
		{"2025-03-04T05:06:07Z", time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)},
		{"2025-03-04T05:06:07.25+02:00", time.Date(2025, 3, 4, 3, 6, 7, 250_000_000, time.UTC)},
		{"2025-03-04 05:06:07-0130", time.Date(2025, 3, 4, 6, 36, 7, 0, time.UTC)},
		{"2024-02-29", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := parseTime(c.in)
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "2025-3-04", "2025-02-29", "2025-03-04 24:00:00", "2025-03-04 05:06", "2025-03-04T05:06:07.", "2025-03-04 05:06:07 ", "04/03/2025", "2025-03-04 05:06:07+2"} {
		if _, err := parseTime(bad); err == nil {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
}
