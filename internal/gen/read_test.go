package gen

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// This file reads generated files back the way any consumer would (CSV and
// YAML only, nothing from the generator's internals) and recomputes each
// lead's true logit from the contract in truth.yaml.

type testEvent struct {
	at     time.Time
	action string
	value  string
}

type testStage struct {
	stage string
	at    time.Time
}

type testOutcome struct {
	at      time.Time
	outcome string
	amount  float64
}

type testLead struct {
	id       string
	created  time.Time
	channel  string
	attrs    map[string]string
	events   []testEvent
	stages   []testStage
	outcomes []testOutcome
}

type dataset struct {
	truth *Truth
	leads []*testLead
	byID  map[string]*testLead
	// orphans counts rows that reference an unknown lead.
	orphans int
}

const tsLayout = "2006-01-02 15:04:05"

func readCSV(t *testing.T, path string, header []string, row func(rec []string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	h, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !slices.Equal(h, header) {
		t.Fatalf("%s: header %q, want %q", path, h, header)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		row(rec)
	}
}

func parseTS(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(tsLayout, s)
	if err != nil {
		t.Fatalf("timestamp %q: %v", s, err)
	}
	return v
}

func loadDataset(t *testing.T, dir string) *dataset {
	t.Helper()
	truth, err := LoadTruth(filepath.Join(dir, TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	d := &dataset{truth: truth, byID: map[string]*testLead{}}
	leadCols := []string{"lead_id", "created_at", "channel", "title", "company_size", "industry", "country", "email_domain", "email_type"}
	readCSV(t, filepath.Join(dir, LeadsFile), leadCols, func(rec []string) {
		l := &testLead{id: rec[0], created: parseTS(t, rec[1]), channel: rec[2], attrs: map[string]string{}}
		for i := 3; i < len(rec); i++ {
			l.attrs[leadCols[i]] = rec[i]
		}
		if d.byID[l.id] != nil {
			t.Fatalf("lead %s twice", l.id)
		}
		d.byID[l.id] = l
		d.leads = append(d.leads, l)
	})
	readCSV(t, filepath.Join(dir, EventsFile), []string{"lead_id", "occurred_at", "action", "value"}, func(rec []string) {
		l := d.byID[rec[0]]
		if l == nil {
			d.orphans++
			return
		}
		l.events = append(l.events, testEvent{parseTS(t, rec[1]), rec[2], rec[3]})
	})
	readCSV(t, filepath.Join(dir, StagesFile), []string{"lead_id", "stage", "entered_at"}, func(rec []string) {
		l := d.byID[rec[0]]
		if l == nil {
			d.orphans++
			return
		}
		l.stages = append(l.stages, testStage{rec[1], parseTS(t, rec[2])})
	})
	readCSV(t, filepath.Join(dir, OutcomesFile), []string{"lead_id", "closed_at", "outcome", "amount"}, func(rec []string) {
		l := d.byID[rec[0]]
		if l == nil {
			d.orphans++
			return
		}
		amount, err := strconv.ParseFloat(rec[3], 64)
		if err != nil {
			t.Fatalf("amount %q: %v", rec[3], err)
		}
		l.outcomes = append(l.outcomes, testOutcome{parseTS(t, rec[1]), rec[2], amount})
	})
	return d
}

// firstStage returns the first entry into any of names, or the zero time.
func (l *testLead) firstStage(names ...string) time.Time {
	var first time.Time
	for _, s := range l.stages {
		if slices.Contains(names, s.stage) && (first.IsZero() || s.at.Before(first)) {
			first = s.at
		}
	}
	return first
}

// cutoff is min(created + observe_days, first entry into sal, sql or
// opportunity), computed directly from the contract.
func (d *dataset) cutoff(l *testLead) time.Time {
	c := l.created.Add(time.Duration(d.truth.ObserveDays*24) * time.Hour)
	if f := l.firstStage("sal", "sql", "opportunity"); !f.IsZero() && f.Before(c) {
		return f
	}
	return c
}

// logit recomputes the true logit of a lead from its rows and the weights in
// truth.yaml: intercept + channel + attributes + Σ weight × 0.5^(age/h).
func (d *dataset) logit(l *testLead) float64 {
	w := d.truth.Weights
	z := d.truth.Intercept + w["channel:"+l.channel]
	for col, v := range l.attrs {
		z += w["attr:"+col+"="+v]
	}
	c := d.cutoff(l)
	for _, e := range l.events {
		if e.at.Before(c) {
			age := c.Sub(e.at).Hours() / 24
			z += w["action:"+e.action] * math.Pow(0.5, age/d.truth.HalfLifeDays)
		}
	}
	return z
}

// mature reports whether the lead's outcome window closed before the end.
func (d *dataset) mature(l *testLead) bool {
	return !l.created.Add(time.Duration(d.truth.HorizonDays*24) * time.Hour).After(d.truth.End)
}

// wonInHorizon reports a won outcome within horizon_days of creation.
func (d *dataset) wonInHorizon(l *testLead) bool {
	limit := l.created.Add(time.Duration(d.truth.HorizonDays*24) * time.Hour)
	for _, o := range l.outcomes {
		if o.outcome == "won" && !o.at.After(limit) {
			return true
		}
	}
	return false
}

func (l *testLead) reached(stage string) bool {
	for _, s := range l.stages {
		if s.stage == stage {
			return true
		}
	}
	return false
}
