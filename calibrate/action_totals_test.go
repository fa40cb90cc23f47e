package calibrate

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// outOfPlaceEvent is an event of the fixture of TestActionTotalsOutOfPlace.
type outOfPlaceEvent struct {
	lead, action string
	day          int // of 2025-01
}

// outOfPlaceFixture is 40 leads L00..L39 created on 1 January 2025 (stored
// in that order), an undated lead U and a lead N created after the moment
// (1 February), and events stored in an order a near search misses: L30's
// first event among L02's, no event for L10..L19 (more leads than the
// search skips), an event of a lead not in leads (X) in the middle, and
// events of U and N. The counts a correct sum gives are counted from this
// list directly in the test: every event of L00..L39 before the moment.
func outOfPlaceFixture() (string, []outOfPlaceEvent) {
	var ev []outOfPlaceEvent
	for i := 0; i < 40; i++ {
		if i >= 10 && i < 20 {
			continue
		}
		id := fmt.Sprintf("L%02d", i)
		ev = append(ev, outOfPlaceEvent{id, "a", 2}, outOfPlaceEvent{id, "b", 3})
		if i%3 == 0 {
			ev = append(ev, outOfPlaceEvent{id, "a", 4})
		}
		if i == 2 {
			ev = append(ev, outOfPlaceEvent{"L30", "b", 5}, outOfPlaceEvent{"X", "a", 5})
		}
		if i == 25 {
			ev = append(ev, outOfPlaceEvent{"U", "a", 6}, outOfPlaceEvent{"N", "b", 6}, outOfPlaceEvent{"L05", "a", 7})
		}
	}
	var sql strings.Builder
	sql.WriteString("INSERT INTO leads VALUES ")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&sql, "('L%02d', '2025-01-01 %02d:00:00', 'web'), ", i, i%24)
	}
	sql.WriteString("('U', NULL, 'web'), ('N', '2025-02-10', 'web');\nINSERT INTO events VALUES ")
	for k, e := range ev {
		if k > 0 {
			sql.WriteString(", ")
		}
		fmt.Fprintf(&sql, "('%s', '2025-01-%02d', '%s', NULL)", e.lead, e.day, e.action)
	}
	sql.WriteString(";")
	return sql.String(), ev
}

// TestActionTotalsOutOfPlace sums the fixture's events and compares the
// counts with those counted from the fixture's list.
func TestActionTotalsOutOfPlace(t *testing.T) {
	ctx := context.Background()
	inserts, events := outOfPlaceFixture()
	st := openStore(t, inserts)
	asOf := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	p := queries.FeatureParams{AsOf: &asOf, HorizonDays: DefaultHorizonDays, SalesStages: DefaultSalesStages(),
		Target: "won", TargetStages: DefaultTargetStages()}
	want := map[string]float64{}
	for _, e := range events {
		if strings.HasPrefix(e.lead, "L") {
			want[e.lead+"/"+e.action]++
		}
	}
	if want["L30/b"] != 2 || want["L05/a"] != 2 || len(want) != 2*30 {
		t.Fatalf("fixture: %v", want)
	}
	l, err := loadLeads(ctx, st, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Cutoff != nil || l.Label != nil || l.Mature != nil || l.Qualified != nil || l.Landmark != nil {
		t.Errorf("an as-of set keeps a column of one value in every row")
	}
	for i, id := range l.IDs {
		want := asOf
		if id == "U" {
			want = time.Time{}
		}
		if got := l.cutoff(i); !got.Equal(want) {
			t.Errorf("%s: moment %v, want %v", id, got, want)
		}
	}
	av, err := loadActionTotals(ctx, st, p, l, 0, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if got := actionCounts(l, av); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// actionCounts returns the non-zero counts of av by "lead/action".
func actionCounts(l *Leads, av *ActionValues) map[string]float64 {
	got := map[string]float64{}
	for k, a := range av.Actions {
		for i, v := range av.Counts[k] {
			if v != 0 {
				got[l.IDs[i]+"/"+a] = v
			}
		}
	}
	return got
}
