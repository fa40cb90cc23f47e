package calibrate

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// levelLeads are 1000 leads, every 10th a target, with
//
//	channel: 0–499 "web" (50 targets), 500–899 a real "other" (40),
//	         900–979 empty (8), 980–989 "fax" (1), 990–999 "telex" (1);
//	title:   by (i/10) % 5: 0 empty (200 leads, 20 targets),
//	         1–2 "manager" (400, 40), 3–4 "cto" (400, 40).
func levelLeads() (*Leads, []int) {
	channel := func(i int) string {
		switch {
		case i < 500:
			return "web"
		case i < 900:
			return "other"
		case i < 980:
			return ""
		case i < 990:
			return "fax"
		}
		return "telex"
	}
	title := func(i int, _ bool) string {
		return []string{"", "manager", "manager", "cto", "cto"}[(i/10)%5]
	}
	l := leakLeads(1000, channel, map[string]func(int, bool) string{"title": title})
	all := make([]int, 1000)
	for i := range all {
		all[i] = i
	}
	return l, all
}

func TestDesignLevels(t *testing.T) {
	l, all := levelLeads()
	d, warn := newDesign(l, &ActionValues{}, all, nil, designOptions{MinLeads: 30})
	// Channel baseline "web" (500 leads); "(none)" (80) and the real
	// "other" (400) keep their own columns; "fax" and "telex" (10 each,
	// fewer than 30) are lumped into "(other)", which holds 2 targets.
	// Title baseline "cto" (400, ties "manager" and wins by name);
	// "(missing)" (200) is a level of its own.
	want := []string{"channel:(none)", "channel:other", "channel:(other)", "attr:title=(missing)", "attr:title=manager"}
	if !reflect.DeepEqual(d.names, want) {
		t.Fatalf("columns %q, want %q", d.names, want)
	}
	if d.groups[0].baseline != "web" || d.groups[1].baseline != "cto" {
		t.Errorf("baselines %q, %q, want web, cto", d.groups[0].baseline, d.groups[1].baseline)
	}
	x := d.matrix(l, &ActionValues{}, all, nil)
	for _, tc := range []struct {
		lead int
		row  []float64
	}{
		{0, []float64{0, 0, 0, 1, 0}},   // web, title empty
		{510, []float64{0, 1, 0, 0, 1}}, // the real "other", manager
		{905, []float64{1, 0, 0, 1, 0}}, // empty channel, title empty (90 % 5 = 0)
		{985, []float64{0, 0, 1, 0, 0}}, // fax, lumped; (98 % 5 = 3) cto
		{995, []float64{0, 0, 1, 0, 0}}, // telex, lumped; (99 % 5 = 4) cto
		{30, []float64{0, 0, 0, 0, 0}},  // web, cto: all baselines
	} {
		got := make([]float64, len(want))
		for j := range got {
			got[j] = x.At(tc.lead, j)
		}
		if !reflect.DeepEqual(got, tc.row) {
			t.Errorf("lead %d: row %v, want %v", tc.lead, got, tc.row)
		}
	}
	if !strings.Contains(strings.Join(warn, "\n"), `channel: 2 rare values (fewer than 30 training leads each) lumped into "(other)"`) {
		t.Errorf("warnings %q", warn)
	}

	// --min-leads 100: the 80 empty-channel leads are now rare too and join
	// fax and telex in "(other)"; the real "other" (400) stays apart.
	d, _ = newDesign(l, &ActionValues{}, all, nil, designOptions{MinLeads: 100})
	want = []string{"channel:other", "channel:(other)", "attr:title=(missing)", "attr:title=manager"}
	if !reflect.DeepEqual(d.names, want) {
		t.Fatalf("--min-leads 100: columns %q, want %q", d.names, want)
	}
	x = d.matrix(l, &ActionValues{}, all, nil)
	if x.At(905, 1) != 1 || x.At(905, 0) != 0 || x.At(510, 0) != 1 || x.At(510, 1) != 0 {
		t.Errorf("--min-leads 100: empty channel → %v %v, other → %v %v", x.At(905, 0), x.At(905, 1), x.At(510, 0), x.At(510, 1))
	}
}

func TestUnseenLevels(t *testing.T) {
	l, all := levelLeads()
	// Train on the first 900 leads: fax, telex and empty channels are
	// unseen in training; the test leads 900–999 hold 80 empty-channel
	// leads, 10 fax and 10 telex: 3 unseen values, 100 leads.
	d, _ := newDesign(l, &ActionValues{}, all[:900], nil, designOptions{MinLeads: 30})
	res := &Result{}
	countUnseen(res, d, l, all[900:])
	want := []UnseenLevel{{Feature: "channel", Levels: 3, Leads: 100, Baseline: "web"}}
	if !reflect.DeepEqual(res.UnseenLevels, want) {
		t.Fatalf("unseen %+v, want %+v", res.UnseenLevels, want)
	}
	if len(res.Warnings) != 1 || res.Warnings[0] != `channel: 3 value(s) seen only in the test period ("(none)", "fax", "telex"; 100 test leads) score as the baseline "web"` {
		t.Errorf("warnings %q", res.Warnings)
	}
}

func TestScorerLevels(t *testing.T) {
	l, _ := levelLeads()
	// A calibrated model records its baselines: web and cto. It knows the
	// channels (none), other and fax, and the titles (missing) and manager.
	m := &Model{Version: 1, Target: "won", PointsToDoubleOdds: 10, ObserveDays: 30,
		Channels:   map[string]int{NoChannel: 7, "other": 3, "fax": 0},
		Attributes: map[string]map[string]int{"title": {MissingLevel: -4, "manager": 2}},
		Baselines:  map[string]string{BaselineChannel: "web", "title": "cto"},
	}
	var buf bytes.Buffer
	if err := m.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ParseModel(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(back.Baselines, m.Baselines) || !reflect.DeepEqual(back.Channels, m.Channels) || !reflect.DeepEqual(back.Attributes, m.Attributes) {
		t.Fatalf("model file round trip lost levels:\n%s", buf.String())
	}
	sc := newLeadScorer(back, l, &ActionValues{}, nil)
	for _, tc := range []struct {
		lead, score, unseen int
	}{
		{0, -4, 0},  // web (baseline), title empty: (missing) −4
		{510, 5, 0}, // other +3, manager +2
		{905, 3, 0}, // (none) +7, (missing) −4
		{985, 0, 0}, // fax 0 (known), cto (baseline)
		{995, 0, 1}, // telex: never seen, scores as the baseline
		{30, 0, 0},  // web, cto
	} {
		score, _ := sc.score(tc.lead)
		if score != tc.score || sc.unseen(tc.lead) != tc.unseen {
			t.Errorf("lead %d: score %d unseen %d, want %d and %d", tc.lead, score, sc.unseen(tc.lead), tc.score, tc.unseen)
		}
		if fromMap, _ := back.Score(featureRow(l, &ActionValues{}, 0, tc.lead, nil)); fromMap != score {
			t.Errorf("lead %d: Model.Score %d, leadScorer %d", tc.lead, fromMap, score)
		}
	}
	// A hand-written model without baselines lists only the levels it gives
	// points: nothing counts as unseen.
	back.Baselines = nil
	if n := newLeadScorer(back, l, &ActionValues{}, nil).unseen(995); n != 0 {
		t.Errorf("hand-written model: lead 995 unseen %d, want 0", n)
	}
}
