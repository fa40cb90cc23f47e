package calibrate

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/queries"
)

// numericStoreSQL loads testdata/reference/numeric_leads.csv as an event
// history: lead Nxxxx created 2024-01-01 + 2·xxxx hours with its source as
// channel; do_not_email, visits, minutes ("(missing)", as a load stores an
// empty field, for 10%), balance and
// employees (10 + |balance| mod 3, but "many" for N0000) as attributes; won
// or lost 20 days after creation (after the 7-day landmark); for leads with
// an even balance, a webinar event 2 days after creation with value
// 10·visits and one 8 days after (after the landmark) with value 1000. Lead ZZ, created
// 2025-06-01, ends the data, so every other lead is mature.
const numericStoreSQL = `
CREATE TEMP TABLE src AS
SELECT *, TIMESTAMP '2024-01-01' + to_hours(2 * CAST(substr(lead_id, 2) AS BIGINT)) AS created_at
FROM read_csv('../testdata/reference/numeric_leads.csv', header = true, all_varchar = true);
INSERT INTO leads SELECT lead_id, created_at, source FROM src;
INSERT INTO leads VALUES ('ZZ', '2025-06-01', 'web');
ALTER TABLE leads ADD COLUMN "attr:do_not_email" VARCHAR;
ALTER TABLE leads ADD COLUMN "attr:visits" VARCHAR;
ALTER TABLE leads ADD COLUMN "attr:Minutes" VARCHAR;
ALTER TABLE leads ADD COLUMN "attr:balance" VARCHAR;
ALTER TABLE leads ADD COLUMN "attr:employees" VARCHAR;
UPDATE leads SET "attr:do_not_email" = src.do_not_email, "attr:visits" = src.visits,
    "attr:Minutes" = coalesce(src.minutes, '(missing)'), "attr:balance" = src.balance,
    "attr:employees" = CASE WHEN src.lead_id = 'N0000' THEN 'many' ELSE CAST(10 + abs(CAST(src.balance AS INTEGER)) % 3 AS VARCHAR) END
FROM src WHERE leads.lead_id = src.lead_id;
INSERT INTO outcomes
SELECT lead_id, created_at + INTERVAL 20 DAY, CASE WHEN converted = '1' THEN 'won' ELSE 'lost' END, NULL FROM src;
INSERT INTO events
SELECT lead_id, created_at + INTERVAL 2 DAY, 'webinar', 10 * CAST(visits AS DOUBLE) FROM src WHERE CAST(balance AS INTEGER) % 2 = 0
UNION ALL
SELECT lead_id, created_at + INTERVAL 8 DAY, 'webinar', 1000 FROM src WHERE CAST(balance AS INTEGER) % 2 = 0;
`

// TestNumericEndToEnd calibrates on numeric attributes and a value sum,
// writes and reads back the model file, and scores every lead through the
// store; each score must equal Model.Score on a feature row built here from
// the CSV itself.
func TestNumericEndToEnd(t *testing.T) {
	st := openStore(t, numericStoreSQL)
	ctx := context.Background()
	attrs := []string{"do_not_email", "visits", "minutes", "balance", "employees", "value:webinar"}
	for _, tc := range []struct {
		mode      string
		landmarks []float64
	}{{NumericBins, []float64{7}}, {NumericLinear, []float64{7}}, {NumericBins, []float64{1, 7}}} {
		mode := tc.mode
		t.Run(fmt.Sprint(mode, tc.landmarks), func(t *testing.T) {
			res, m, err := Run(ctx, st, Options{Landmarks: tc.landmarks, Attributes: attrs, Numeric: mode, MinLeads: 30})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.NumericNotes) != 1 || !strings.Contains(res.NumericNotes[0], "employees") || !strings.Contains(res.NumericNotes[0], `"many"`) ||
				!slices.Contains(res.Warnings, res.NumericNotes[0]) {
				t.Errorf("notes %q (warnings %q): want one naming employees and \"many\"", res.NumericNotes, res.Warnings)
			}
			if want := []string{"do_not_email", "employees"}; !reflect.DeepEqual(res.Options.Attributes, want) {
				t.Errorf("categorical attributes %q, want %q", res.Options.Attributes, want)
			}
			if want := []string{"attr:visits", "attr:minutes", "attr:balance", "value:webinar"}; !reflect.DeepEqual(res.Options.NumericFeatures, want) {
				t.Errorf("numeric features %q, want %q", res.Options.NumericFeatures, want)
			}
			if got := sortedKeys(m.Numeric); !reflect.DeepEqual(got, []string{"balance", "minutes", "value:webinar", "visits"}) {
				t.Fatalf("model numeric features %q", got)
			}
			for key, np := range m.Numeric {
				if np.Linear() != (mode == NumericLinear) {
					t.Errorf("%s: linear %v in mode %s", key, np.Linear(), mode)
				}
			}
			features := map[string]bool{}
			for _, c := range res.Coefficients {
				features[c.Feature] = true
			}
			// numeric_bins lists every bin of the binned features (none for
			// linear ones) and the missing bin of minutes; the bins of
			// visits hold each training lead once.
			visitsLeads, minutesMissing := 0, false
			for _, b := range res.NumericBins {
				if b.Feature == "attr:visits" {
					visitsLeads += b.Leads
				}
				minutesMissing = minutesMissing || b.Feature == "attr:minutes" && b.Bin == "(missing)" && !b.Baseline
			}
			if mode == NumericBins && (visitsLeads != res.Leads.Train || !minutesMissing) {
				t.Errorf("numeric_bins %+v: want visits over %d training leads and a missing bin of minutes", res.NumericBins, res.Leads.Train)
			}
			if mode == NumericLinear && len(res.NumericBins) != 1 {
				t.Errorf("linear numeric_bins %+v: want only the missing bin of minutes", res.NumericBins)
			}
			if !features["attr:minutes=(missing)"] {
				t.Errorf("no missing column for minutes among %v", features)
			}
			if mode == NumericLinear && !features["value:webinar"] {
				t.Errorf("no value:webinar column among %v", features)
			}
			var buf bytes.Buffer
			if err := m.WriteYAML(&buf); err != nil {
				t.Fatal(err)
			}
			back, err := ParseModel(&buf)
			if err != nil {
				t.Fatal(err)
			}
			checkScoresFromCSV(t, st, back)
		})
	}
}

// checkScoresFromCSV scores every lead at the end of the data and compares
// with m.Score on the lead's features read from numeric_leads.csv: the
// webinar sum at that moment is 10·visits + 1000 for leads with an even
// balance (who did 2 webinar events), else 0; an empty minutes is missing.
func checkScoresFromCSV(t *testing.T, st *queries.Store, m *Model) {
	t.Helper()
	l := numericLeads(t)
	want := map[string]int{}
	wantReasons := map[string][]Reason{}
	for i, id := range l.IDs {
		visits, balance := l.Numbers[0].Values[i], int(l.Numbers[2].Values[i])
		employees := "attr:employees=" + strconv.Itoa(10+max(balance, -balance)%3)
		if id == "N0000" {
			employees = "attr:employees=many"
		}
		row := FeatureRow{"attr:visits": visits, "attr:balance": float64(balance),
			"attr:do_not_email=" + l.AttrValues[0][i]: 1, "channel:" + l.AttrValues[1][i]: 1,
			employees: 1, "value:webinar": 0}
		if minutes := l.Numbers[1].Values[i]; minutes == minutes {
			row["attr:minutes"] = minutes
		}
		if balance%2 == 0 {
			row["value:webinar"] = 10*visits + 1000
			row["action:webinar"] = 2
		}
		want[id], wantReasons[id] = m.Score(row)
	}
	n, wrong := 0, 0
	err := ScoreLeads(context.Background(), st, m, ScoreOptions{}, func(s LeadScore) error {
		if s.LeadID == "ZZ" {
			return nil
		}
		n++
		if s.Score != want[s.LeadID] {
			t.Errorf("%s: score %d, want %d (reasons %+v)", s.LeadID, s.Score, want[s.LeadID], s.Reasons)
		}
		// The whole chunk of leads is scored before the first is emitted,
		// so reasons sharing memory with another lead's show here.
		if !reflect.DeepEqual(s.Reasons, wantReasons[s.LeadID]) {
			if wrong++; wrong <= 3 {
				t.Errorf("%s: reasons %+v, want %+v", s.LeadID, s.Reasons, wantReasons[s.LeadID])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Errorf("scored %d leads, want %d", n, len(want))
	}
}

// TestNumericBacktest backtests a hand-written current model with numeric
// features (handNumericModel: minutes and balance bins, 35 points per 100
// webinar minutes, referral 4, threshold 10) on the test leads at the 7-day
// landmark, and checks its MQLs against scores worked out here from the
// CSV: at day 7 a lead with an even balance has one webinar event of value
// 10·visits (the day-8 event is later).
func TestNumericBacktest(t *testing.T) {
	st := openStore(t, numericStoreSQL)
	cur, err := ParseModel(strings.NewReader(handNumericModel))
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := Run(context.Background(), st, Options{Landmarks: []float64{7}, Attributes: []string{"do_not_email"},
		Current: cur, CurrentName: "hand.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	l := numericLeads(t)
	// The mature leads are N0000…N1999 in creation order; the newest
	// res.Leads.Test of them are the test leads.
	mqls, wins := 0, 0
	for i := l.Len() - res.Leads.Test; i < l.Len(); i++ {
		balance := int(l.Numbers[2].Values[i])
		row := FeatureRow{"attr:balance": float64(balance), "channel:" + l.AttrValues[1][i]: 1, "value:webinar": 0}
		if m := l.Numbers[1].Values[i]; m == m {
			row["attr:minutes"] = m
		}
		if balance%2 == 0 {
			row["value:webinar"] = 10 * l.Numbers[0].Values[i]
		}
		if s, _ := cur.Score(row); s >= cur.Threshold {
			mqls++
			wins += int(l.Label[i])
		}
	}
	bt := res.Backtest
	if bt == nil || bt.Current.MQLs != mqls || bt.Current.WinsCaptured != wins || mqls == 0 {
		t.Errorf("backtest %+v, want %d MQLs capturing %d wins", bt, mqls, wins)
	}
}
