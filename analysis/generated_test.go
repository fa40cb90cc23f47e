package analysis

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/internal/gen"
	"github.com/funnel-dev/funnel/queries"
)

// generatedFiles are the generator's CSV files in dir, in the order
// leads, events, stages, outcomes.
func generatedFiles(dir string) []string {
	files := []string{gen.LeadsFile, gen.EventsFile, gen.StagesFile, gen.OutcomesFile}
	for i := range files {
		files[i] = filepath.Join(dir, files[i])
	}
	return files
}

// openCSVs opens a new store holding the CSV files (leads, events, stages,
// outcomes, with the generator's columns), loaded with read_csv: test-only
// SQL, the loader is tested on its own.
func openCSVs(t *testing.T, files []string) *queries.Store {
	t.Helper()
	st := openFixture(t, nil)
	inserts := []string{
		`INSERT INTO leads SELECT lead_id, CAST(created_at AS TIMESTAMP), channel FROM read_csv($1, header = true, all_varchar = true)`,
		`INSERT INTO events SELECT lead_id, CAST(occurred_at AS TIMESTAMP), action, TRY_CAST(value AS DOUBLE) FROM read_csv($1, header = true, all_varchar = true)`,
		`INSERT INTO stages SELECT lead_id, stage, CAST(entered_at AS TIMESTAMP) FROM read_csv($1, header = true, all_varchar = true)`,
		`INSERT INTO outcomes SELECT lead_id, CAST(closed_at AS TIMESTAMP), outcome, TRY_CAST(amount AS DOUBLE) FROM read_csv($1, header = true, all_varchar = true)`,
	}
	for i, q := range inserts {
		if _, err := st.DB().Exec(q, files[i]); err != nil {
			t.Fatalf("load %s: %v", files[i], err)
		}
	}
	return st
}

// csvRows calls fn for each data row of a CSV file with a header.
func csvRows(t *testing.T, path string, fn func(rec []string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		fn(rec)
	}
}

func parseTS(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// plainLead is what the independent Go computation keeps per lead.
type plainLead struct {
	created  time.Time
	channel  string
	first    [6]time.Time    // first explicit entry per funnel stage (zero: none)
	closed   bool            // has any outcome
	actions  map[string]bool // actions done before the landmark
	eventsOK []plainEvent
}

type plainEvent struct {
	at     time.Time
	action string
}

// TestGeneratedMatchesGoLoop compares by_channel, by_month, by_action (with
// its landmark from the data and its population) with a straightforward Go
// loop over the generated CSV files.
func TestGeneratedMatchesGoLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads 40k leads")
	}
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := gen.Generate(ctx, gen.Config{Leads: 40000, Months: 18, Seed: 7}, dir); err != nil {
		t.Fatal(err)
	}
	files := generatedFiles(dir)
	st := openCSVs(t, files)
	const window = 120
	r, err := Compute(ctx, st, Options{WindowDays: window})
	if err != nil {
		t.Fatal(err)
	}

	// The independent computation.
	stages := DefaultStages()
	leads := map[string]*plainLead{}
	var end time.Time
	later := func(ts time.Time) {
		if ts.After(end) {
			end = ts
		}
	}
	csvRows(t, files[0], func(rec []string) {
		ts := parseTS(t, rec[1])
		later(ts)
		leads[rec[0]] = &plainLead{created: ts, channel: rec[2], actions: map[string]bool{}}
	})
	setFirst := func(l *plainLead, i int, ts time.Time) {
		if l.first[i].IsZero() || ts.Before(l.first[i]) {
			l.first[i] = ts
		}
	}
	csvRows(t, files[2], func(rec []string) {
		ts := parseTS(t, rec[2])
		later(ts)
		l := leads[rec[0]]
		if l == nil {
			return
		}
		for i := 1; i < len(stages); i++ {
			if strings.ToLower(rec[1]) == stages[i] {
				setFirst(l, i, ts)
			}
		}
	})
	csvRows(t, files[3], func(rec []string) {
		ts := parseTS(t, rec[1])
		later(ts)
		l := leads[rec[0]]
		if l == nil {
			return
		}
		l.closed = true
		if strings.ToLower(rec[2]) == "won" {
			setFirst(l, 5, ts)
		}
	})
	csvRows(t, files[1], func(rec []string) {
		ts := parseTS(t, rec[1])
		later(ts)
		if l := leads[rec[0]]; l != nil {
			l.eventsOK = append(l.eventsOK, plainEvent{ts, rec[2]})
		}
	})
	if !end.Equal(r.DataEnd) {
		t.Fatalf("data end %v, Go loop %v", r.DataEnd, end)
	}

	// The landmark: median days from creation to first reaching mql or a
	// later stage, over leads that reached it not before their creation
	// (quantile_cont: linear interpolation), rounded, at least 1.
	var ages []float64
	for _, l := range leads {
		var q time.Time
		for i := 1; i < 6; i++ {
			if !l.first[i].IsZero() && (q.IsZero() || l.first[i].Before(q)) {
				q = l.first[i]
			}
		}
		if !q.IsZero() && !q.Before(l.created) {
			ages = append(ages, q.Sub(l.created).Hours()/24)
		}
	}
	sort.Float64s(ages)
	pos := float64(len(ages)-1) / 2
	median := ages[int(pos)] + (pos-math.Floor(pos))*(ages[int(math.Ceil(pos))]-ages[int(pos)])
	landmark := max(1, int(math.Round(median)))
	if r.ActionLandmarkDays != landmark || !r.ActionLandmarkFromData {
		t.Fatalf("landmark %d days, Go loop %d (median %.4f of %d leads)", r.ActionLandmarkDays, landmark, median, len(ages))
	}

	type tally struct {
		leads, mature, open int64
		reached             [6]int64
		convMature, convAll [6]int64
	}
	byChannel, byMonth, byAction := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	population := &tally{}
	get := func(m map[string]*tally, k string) *tally {
		if m[k] == nil {
			m[k] = &tally{}
		}
		return m[k]
	}
	for _, l := range leads {
		maxIdx, maxW := 0, 0
		var qualified time.Time
		for i := 1; i < 6; i++ {
			if l.first[i].IsZero() {
				continue
			}
			maxIdx = i
			if !l.first[i].After(l.created.AddDate(0, 0, window)) {
				maxW = i
			}
			if qualified.IsZero() || l.first[i].Before(qualified) {
				qualified = l.first[i]
			}
		}
		immature := l.created.AddDate(0, 0, window).After(end)
		open := immature && maxIdx < 5 && !l.closed
		at := l.created.AddDate(0, 0, landmark)
		tallies := []*tally{get(byChannel, l.channel), get(byMonth, l.created.Format("2006-01"))}
		if !at.After(end) && (qualified.IsZero() || !qualified.Before(at)) {
			for _, ev := range l.eventsOK {
				if ev.at.Before(at) {
					l.actions[ev.action] = true
				}
			}
			tallies = append(tallies, population)
			for a := range l.actions {
				tallies = append(tallies, get(byAction, a))
			}
		}
		for _, tl := range tallies {
			tl.leads++
			if !immature {
				tl.mature++
			}
			if open {
				tl.open++
			}
			for i := 0; i <= maxIdx; i++ {
				tl.reached[i]++
			}
			for i := 0; i <= maxW; i++ {
				tl.convAll[i]++
				if !immature {
					tl.convMature[i]++
				}
			}
		}
	}
	check := func(table, key string, f Funnel, tl *tally) {
		t.Helper()
		if tl == nil {
			t.Errorf("%s %s: not in the Go loop", table, key)
			return
		}
		conv := tl.convMature
		if tl.mature == 0 {
			conv = tl.convAll
		}
		for i := range stages {
			if f.Reached[i].Leads != tl.reached[i] {
				t.Errorf("%s %s %s reached = %d, Go loop %d", table, key, stages[i], f.Reached[i].Leads, tl.reached[i])
			}
			if f.converted(i) != conv[i] {
				t.Errorf("%s %s %s converted = %d, Go loop %d", table, key, stages[i], f.converted(i), conv[i])
			}
		}
		if f.MatureLeads != tl.mature || f.OpenLeads != tl.open {
			t.Errorf("%s %s mature/open = %d/%d, Go loop %d/%d", table, key, f.MatureLeads, f.OpenLeads, tl.mature, tl.open)
		}
	}
	if len(r.ByChannel) != len(byChannel) || len(r.ByMonth) != len(byMonth) || len(r.ByAction) != len(byAction) {
		t.Errorf("rows: channel %d/%d month %d/%d action %d/%d", len(r.ByChannel), len(byChannel),
			len(r.ByMonth), len(byMonth), len(r.ByAction), len(byAction))
	}
	for _, c := range r.ByChannel {
		check("by_channel", c.Channel, c.Funnel, byChannel[c.Channel])
	}
	for _, m := range r.ByMonth {
		check("by_month", m.Month, m.Funnel, byMonth[m.Month])
	}
	for _, a := range r.ByAction {
		check("by_action", a.Action, a.Funnel, byAction[a.Action])
	}
	check("action_population", "", r.ActionPopulation, population)
	t.Logf("%d leads, %d channels, %d months, %d actions; total %v; landmark %d days, population %v",
		len(leads), len(r.ByChannel), len(r.ByMonth), len(r.ByAction), r.Total.Reached, landmark, r.ActionPopulation.Reached)
}
