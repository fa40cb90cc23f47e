package reports

import (
	"strings"
	"testing"
)

// TestActionSectionNumbers reads the action table back and compares it
// with the report: the landmark stated in words, the population size, and
// for each row the MQL and Won lifts with their intervals.
func TestActionSectionNumbers(t *testing.T) {
	rep := funnelFixture()
	s, err := actionSection(rep, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const says = "Among leads not yet MQL 4 days after creation, those who had done the action by then, against those who had not"
	if len(s.Tables) != 2 || !strings.HasPrefix(s.Intro, says) {
		t.Fatalf("%d tables, intro %q: want 2 tables and the intro to say %q", len(s.Tables), s.Intro, says)
	}
	byStage := map[string]map[string][]cell{}
	for k, stage := range []string{"mql", "won"} {
		tb := s.Tables[k]
		st := stageTitle(stage)
		if !strings.HasPrefix(tb.Caption, "Lift on reaching "+st+". "+says+" (9,600 leads)") {
			t.Errorf("caption %q: want it to say %q and 9,600 leads", tb.Caption, says)
		}
		want := []string{"Action", "Leads who had done it", "Lead→" + st + " with", "Lead→" + st + " without", "Lift " + st + " [95% CI]", "p"}
		if strings.Join(tb.Head, "|") != strings.Join(want, "|") {
			t.Fatalf("head = %q, want %q", tb.Head, want)
		}
		byStage[stage] = map[string][]cell{}
		for _, r := range tb.Rows {
			byStage[stage][r.Cells[0].Text] = r.Cells
		}
	}
	byName := byStage["mql"]
	for _, a := range rep.ByAction {
		for _, stage := range []string{"mql", "won"} {
			cells, col := byStage[stage][a.Action], 4
			if cells == nil {
				t.Fatalf("no row for %q", a.Action)
			}
			l, ok := liftFor(a, stage)
			if !ok {
				t.Fatalf("%s has no %s lift", a.Action, stage)
			}
			text := fmtFloat(*l.Ratio, 2) + " [" + fmtFloat(*l.RatioLow, 2) + "–" + fmtFloat(*l.RatioHigh, 2) + "]"
			with, without := fmtOf(l.With.Num, l.With.Den), fmtOf(l.Without.Num, l.Without.Den)
			if cells[col].Text != text || cells[col-2].Text != with || cells[col-1].Text != without {
				t.Errorf("%s %s: cells %q %q %q, want %q %q %q", a.Action, stage, cells[col-2].Text, cells[col-1].Text, cells[col].Text,
					with, without, text)
			}
		}
	}
	// demo_request: 900 leads, 720 mature; with round(720·0.09) = 65 of
	// 720, without round(9600·0.012) = 115 of 8880: ratio 0.090278/0.012950
	// = 6.971. Katz se = sqrt(1/65 − 1/720 + 1/115 − 1/8880) = 0.150262,
	// 6.971·exp(∓1.959964·0.150262) = [5.193, 9.358].
	if got := byName["demo_request"][4].Text; got != "6.97 [5.19–9.36]" {
		t.Errorf("demo_request MQL lift %q", got)
	}
	// 65/720 = 9.03% → "9.0% (65 of 720)"; 115/8,880 = 1.30% → "1.3% (115 of 8,880)".
	if got := byName["demo_request"][2].Text + " | " + byName["demo_request"][3].Text; got != "9.0% (65 of 720) | 1.3% (115 of 8,880)" {
		t.Errorf("demo_request MQL with | without = %q", got)
	}
}
