package gen

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/internal/gen/oracle"
)

func generateDir(t testing.TB, cfg Config) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := Generate(context.Background(), cfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

func TestSummaryMatchesFiles(t *testing.T) {
	dir, sum := generateDir(t, Config{Leads: 5000, Months: 12, Seed: 3})
	want := []string{LeadsFile, EventsFile, StagesFile, OutcomesFile, TruthFile}
	if len(sum.Files) != len(want) {
		t.Fatalf("files %q, want %d", sum.Files, len(want))
	}
	for i, f := range sum.Files {
		if f != filepath.Join(dir, want[i]) {
			t.Errorf("file %d = %s, want %s", i, f, filepath.Join(dir, want[i]))
		}
	}
	d := loadDataset(t, dir)
	var events, stages, outcomes int64
	for _, l := range d.Leads {
		events += int64(len(l.Events))
		stages += int64(len(l.Stages))
		outcomes += int64(len(l.Outcomes))
	}
	got := [4]int64{sum.Leads, sum.Events, sum.Stages, sum.Outcomes}
	if got != [4]int64{5000, events, stages, outcomes} {
		t.Errorf("summary rows %v, files have %v", got, [4]int64{int64(len(d.Leads)), events, stages, outcomes})
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(want) {
		t.Errorf("dir has %d entries, want %d (temporary files left?)", len(entries), len(want))
	}
}

func TestDeterministic(t *testing.T) {
	// 9000 leads are three shards, so the parallel order matters.
	cfg, err := Config{Leads: 9000, Months: 6, Seed: 7}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	run := func(cfg Config, workers int) string {
		dir := t.TempDir()
		if _, err := generate(context.Background(), newGenerator(cfg), dir, workers); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	a, b := run(cfg, 1), run(cfg, 3)
	cfg.Seed = 8
	c := run(cfg, 2)
	for _, f := range []string{LeadsFile, EventsFile, StagesFile, OutcomesFile} {
		fa, _ := os.ReadFile(filepath.Join(a, f))
		fb, _ := os.ReadFile(filepath.Join(b, f))
		fc, _ := os.ReadFile(filepath.Join(c, f))
		if len(fa) < 1000 || !bytes.Equal(fa, fb) {
			t.Errorf("%s: same seed, 1 vs 3 workers: %d vs %d bytes, equal %v", f, len(fa), len(fb), bytes.Equal(fa, fb))
		}
		if bytes.Equal(fa, fc) {
			t.Errorf("%s: seeds 7 and 8 give identical files", f)
		}
	}
}

// TestLogitMatchesFiles checks that the logit the generator drew each
// outcome from equals, for every lead, the logit the independent oracle
// recomputes from the written rows and truth.yaml (events strictly before
// created_at + planted_age_days, decayed from that moment).
func TestLogitMatchesFiles(t *testing.T) {
	cfg, _ := Config{Leads: 6000, Months: 12, Seed: 11}.withDefaults()
	g := newGenerator(cfg)
	dir := t.TempDir()
	if _, err := generate(context.Background(), g, dir, 2); err != nil {
		t.Fatal(err)
	}
	var internal []float64
	var out shardOut
	var l lead
	for k := 0; k*shardSize < cfg.Leads; k++ {
		g.shard(k, &out, &l)
		internal = append(internal, out.logits...)
	}
	d := loadDataset(t, dir)
	if len(d.Leads) != len(internal) {
		t.Fatalf("%d leads in the files, %d logits drawn", len(d.Leads), len(internal))
	}
	var withActions int
	for i, tl := range d.Leads {
		if got := d.TrueLogit(tl); math.Abs(got-internal[i]) > 1e-9 {
			t.Fatalf("lead %s: logit from files %.12f, generator drew from %.12f", tl.ID, got, internal[i])
		}
		if len(tl.Events) > 0 && tl.Events[0].At.Before(d.truth.Landmark(tl.Created)) {
			withActions++
		}
	}
	// The check has power only if many leads act before the planted age.
	if withActions < len(d.Leads)/3 {
		t.Errorf("only %d of %d leads act before the planted age", withActions, len(d.Leads))
	}
}

func TestInvariants(t *testing.T) {
	dir, _ := generateDir(t, Config{})
	d := loadDataset(t, dir)
	end := d.truth.End
	if d.Orphans != 0 {
		t.Errorf("%d rows reference unknown leads", d.Orphans)
	}
	if len(d.Leads) != DefaultLeads {
		t.Errorf("%d leads, want %d", len(d.Leads), DefaultLeads)
	}
	start := end.AddDate(0, -DefaultMonths, 0)
	horizon := time.Duration(d.truth.HorizonDays*24) * time.Hour
	fail := func(l *oracle.Lead, format string, args ...any) {
		t.Helper()
		t.Errorf("lead %s: "+format, append([]any{l.ID}, args...)...)
	}
	for _, l := range d.Leads {
		if l.Created.Before(start) || !l.Created.Before(end) {
			fail(l, "created %v outside [%v, %v)", l.Created, start, end)
		}
		for _, e := range l.Events {
			if e.At.Before(l.Created) || !e.At.Before(end) {
				fail(l, "event %s at %v outside [created %v, end)", e.Action, e.At, l.Created)
			}
			switch e.Action {
			case "webinar_attended":
				if v, err := strconv.Atoi(e.Value); err != nil || v < 5 || v > 60 {
					fail(l, "webinar_attended minutes %q", e.Value)
				}
			case "page_view":
				if v, err := strconv.Atoi(e.Value); err != nil || v < 1 {
					fail(l, "page_view pages %q", e.Value)
				}
			default:
				if e.Value != "" {
					fail(l, "%s has value %q", e.Action, e.Value)
				}
			}
		}
		if len(l.Stages) == 0 || l.Stages[0].Name != "lead" || !l.Stages[0].At.Equal(l.Created) {
			fail(l, "first stage %v, want lead at creation", l.Stages)
			continue
		}
		for i, s := range l.Stages {
			if !s.At.Before(end) || (i > 0 && s.At.Before(l.Stages[i-1].At)) {
				fail(l, "stage %s at %v out of order or after end", s.Name, s.At)
			}
		}
		// Non-referral paths pass MQL before SAL; a lead at SQL without SAL
		// is a referral that entered straight at SQL, with no MQL before.
		firstSAL, firstSQL, firstMQL := firstStage(l, "sal"), firstStage(l, "sql"), firstStage(l, "mql")
		if !firstSAL.IsZero() && (firstMQL.IsZero() || !firstMQL.Before(firstSAL)) {
			fail(l, "sal at %v without an earlier mql", firstSAL)
		}
		if !firstSQL.IsZero() && (firstSAL.IsZero() || firstSAL.After(firstSQL)) {
			if l.Channel != "referral" || (!firstMQL.IsZero() && firstMQL.Before(firstSQL)) {
				fail(l, "sql at %v without sal: channel %s", firstSQL, l.Channel)
			}
		}
		if len(l.Outcomes) > 1 {
			fail(l, "%d outcomes", len(l.Outcomes))
		}
		for _, o := range l.Outcomes {
			if !o.At.After(l.Created) || !o.At.Before(end) {
				fail(l, "outcome at %v not in (created, end)", o.At)
			}
			if a, err := strconv.ParseFloat(o.Amount, 64); err != nil || !(a > 0) {
				fail(l, "amount %q", o.Amount)
			}
			opp := firstStage(l, "opportunity")
			if opp.IsZero() || !opp.Before(o.At) {
				fail(l, "%s at %v without an earlier opportunity", o.Outcome, o.At)
			}
			switch o.Outcome {
			case "won":
				if firstSQL.IsZero() || !firstSQL.Before(o.At) {
					fail(l, "won at %v without an earlier sql", o.At)
				}
				if o.At.Sub(l.Created) > horizon {
					fail(l, "won %v after creation, beyond the horizon", o.At.Sub(l.Created))
				}
				for _, s := range l.Stages {
					if s.At.After(o.At) {
						fail(l, "stage %s at %v after winning at %v", s.Name, s.At, o.At)
					}
				}
			case "lost":
			default:
				fail(l, "outcome %q", o.Outcome)
			}
		}
	}
}

func mostCommon(counts map[string]int) string {
	best, n := "", -1
	for k, c := range counts {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}

func TestBaselinesAreMostCommon(t *testing.T) {
	dir, _ := generateDir(t, Config{Leads: 8000, Seed: 5})
	d := loadDataset(t, dir)
	channels := map[string]int{}
	attrs := map[string]map[string]int{}
	actions := map[string]bool{}
	for _, l := range d.Leads {
		channels[l.Channel]++
		for c, v := range l.Attributes {
			if attrs[c] == nil {
				attrs[c] = map[string]int{}
			}
			attrs[c][v]++
		}
		for _, e := range l.Events {
			actions[e.Action] = true
		}
	}
	if got := mostCommon(channels); got != d.truth.BaselineChannel {
		t.Errorf("most common channel %s, baseline %s", got, d.truth.BaselineChannel)
	}
	if len(channels) < 6 || len(channels) > 10 {
		t.Errorf("%d channels, want 6-10", len(channels))
	}
	if len(actions) < 10 || len(actions) > 15 {
		t.Errorf("%d actions, want 10-15", len(actions))
	}
	for col, base := range d.truth.BaselineAttributes {
		if got := mostCommon(attrs[col]); got != base {
			t.Errorf("most common %s %q, baseline %q", col, got, base)
		}
	}
	for name := range d.truth.Weights {
		kind, rest, _ := strings.Cut(name, ":")
		switch kind {
		case "action":
			if !actions[rest] {
				t.Errorf("weight %s: no such action in events.csv", name)
			}
		case "channel":
			if channels[rest] == 0 || rest == d.truth.BaselineChannel {
				t.Errorf("weight %s: not a non-baseline channel in leads.csv", name)
			}
		case "attr":
			col, v, ok := strings.Cut(rest, "=")
			if !ok || attrs[col][v] == 0 || d.truth.BaselineAttributes[col] == v {
				t.Errorf("weight %s: not a non-baseline attribute value in leads.csv", name)
			}
		default:
			t.Errorf("weight %s: unknown kind", name)
		}
	}
	for a := range actions {
		if _, ok := d.truth.Weights["action:"+a]; !ok {
			t.Errorf("action %s has no weight in truth.yaml", a)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(context.Background(), Config{Leads: -1}, dir); !errors.Is(err, ErrBadConfig) {
		t.Errorf("leads -1: err = %v, want ErrBadConfig", err)
	}
	if _, err := Generate(context.Background(), Config{Months: -3}, dir); !errors.Is(err, ErrBadConfig) {
		t.Errorf("months -3: err = %v, want ErrBadConfig", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, Config{Leads: 50000}, dir); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("cancelled run left %d files", len(entries))
	}
}

func TestAppendTime(t *testing.T) {
	cases := []int64{
		0, -1, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800, 1782863999, 1782864000,
		-62135596800 /* 0001-01-01 */, 253402300799 /* 9999-12-31 23:59:59 */, -2208988800, 4107542400,
	}
	for i := range 5000 {
		cases = append(cases, -62135596800+int64(i)*63113904+int64(i*i*7919)%86400)
	}
	for _, u := range cases {
		want := time.Unix(u, 0).UTC().Format(time.DateTime)
		if got := string(appendTime(nil, u)); got != want {
			t.Fatalf("appendTime(%d) = %s, want %s", u, got, want)
		}
	}
}

func TestCalendarOrderAndSeasonality(t *testing.T) {
	cfg, _ := Config{Leads: 100000, Months: 24}.withDefaults()
	c := newCalendar(cfg)
	prev := int64(math.MinInt64)
	perMonth := map[time.Month]float64{}
	for i := range cfg.Leads {
		ts := c.created(i, 0.5)
		if ts < prev || ts < c.start || ts >= c.end {
			t.Fatalf("lead %d created %d: not increasing or outside range", i, ts)
		}
		prev = ts
		perMonth[time.Unix(ts, 0).UTC().Month()]++
	}
	// August is seasonally low, October and November high.
	if !(perMonth[time.August] < 0.8*perMonth[time.October] && perMonth[time.August] < 0.8*perMonth[time.November]) {
		t.Errorf("leads per month %v: August not clearly below October/November", perMonth)
	}
	if got := slices.Max(c.firstLead); got != cfg.Leads {
		t.Errorf("months hold %d leads, want %d", got, cfg.Leads)
	}
}

func TestSmallAndOddConfigs(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"one lead", Config{Leads: 1, Months: 1}},
		{"fewer leads than months", Config{Leads: 5, Months: 24}},
		{"end not at midnight", Config{Leads: 300, Months: 2, End: time.Date(2025, 3, 15, 13, 30, 45, 0, time.UTC)}},
		{"end in another zone", Config{Leads: 300, Months: 1, End: time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))}},
		{"exactly one shard plus one", Config{Leads: shardSize + 1, Months: 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, sum := generateDir(t, c.cfg)
			d := loadDataset(t, dir)
			if len(d.Leads) != c.cfg.Leads || sum.Leads != int64(c.cfg.Leads) {
				t.Fatalf("%d leads in file, summary %d, want %d", len(d.Leads), sum.Leads, c.cfg.Leads)
			}
			end := c.cfg.End
			if end.IsZero() {
				end = DefaultEnd
			}
			end = end.UTC()
			if !d.truth.End.Equal(end) {
				t.Errorf("truth end %v, want %v", d.truth.End, end)
			}
			start := end.AddDate(0, -c.cfg.Months, 0)
			for _, l := range d.Leads {
				if l.Created.Before(start) || !l.Created.Before(end) {
					t.Errorf("lead %s created %v outside [%v, %v)", l.ID, l.Created, start, end)
				}
				for _, e := range l.Events {
					if !e.At.Before(end) {
						t.Errorf("lead %s event at %v not before end %v", l.ID, e.At, end)
					}
				}
			}
		})
	}
}
