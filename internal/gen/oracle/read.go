package oracle

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Read reads leads.csv, events.csv, stages.csv, outcomes.csv and truth.yaml
// from dir. Columns are found by header name (any case); a missing required
// column, an empty lead_id, a duplicate lead, an unparsable timestamp or a
// truth.yaml without positive planted_age_days, horizon_days and
// half_life_days is an error naming the file and the line (1-based, the
// header is line 1).
func Read(dir string) (*Dataset, error) {
	d := &Dataset{byID: map[string]*Lead{}}
	if err := d.readTruth(filepath.Join(dir, "truth.yaml")); err != nil {
		return nil, err
	}
	names := map[string]string{} // interned action and stage names
	intern := func(s string) string {
		if v, ok := names[s]; ok {
			return v
		}
		names[s] = s
		return s
	}
	var extra []string // attribute columns of leads.csv
	err := d.readCSV(filepath.Join(dir, "leads.csv"), []string{"lead_id", "created_at", "channel"}, func(h header, rec []string, ts []time.Time) error {
		if extra == nil {
			for i, name := range h.names {
				if i != h.col[0] && i != h.col[1] && i != h.col[2] {
					extra = append(extra, name)
				}
			}
		}
		id := rec[h.col[0]]
		if d.byID[id] != nil {
			return fmt.Errorf("lead_id %q appears twice", id)
		}
		l := &Lead{ID: id, Created: ts[1], Channel: intern(rec[h.col[2]]), Attributes: make(map[string]string, len(extra))}
		for i, name := range h.names {
			if i != h.col[0] && i != h.col[1] && i != h.col[2] {
				l.Attributes[name] = intern(rec[i])
			}
		}
		d.byID[id] = l
		d.Leads = append(d.Leads, l)
		return nil
	}, 1)
	if err != nil {
		return nil, err
	}
	err = d.readCSV(filepath.Join(dir, "events.csv"), []string{"lead_id", "occurred_at", "action", "?value"}, func(h header, rec []string, ts []time.Time) error {
		l := d.byID[rec[h.col[0]]]
		if l == nil {
			d.Orphans++
			return nil
		}
		e := Event{At: ts[1], Action: intern(rec[h.col[2]])}
		if h.col[3] >= 0 {
			e.Value = rec[h.col[3]]
		}
		l.Events = append(l.Events, e)
		return nil
	}, 1)
	if err != nil {
		return nil, err
	}
	err = d.readCSV(filepath.Join(dir, "stages.csv"), []string{"lead_id", "stage", "entered_at"}, func(h header, rec []string, ts []time.Time) error {
		l := d.byID[rec[h.col[0]]]
		if l == nil {
			d.Orphans++
			return nil
		}
		l.Stages = append(l.Stages, Stage{Name: intern(rec[h.col[1]]), At: ts[2]})
		return nil
	}, 2)
	if err != nil {
		return nil, err
	}
	err = d.readCSV(filepath.Join(dir, "outcomes.csv"), []string{"lead_id", "closed_at", "outcome", "?amount"}, func(h header, rec []string, ts []time.Time) error {
		l := d.byID[rec[h.col[0]]]
		if l == nil {
			d.Orphans++
			return nil
		}
		o := Outcome{At: ts[1], Outcome: strings.ToLower(rec[h.col[2]])}
		if o.Outcome != "won" && o.Outcome != "lost" {
			return fmt.Errorf("outcome %q is neither won nor lost", rec[h.col[2]])
		}
		if h.col[3] >= 0 {
			o.Amount = rec[h.col[3]]
		}
		l.Outcomes = append(l.Outcomes, o)
		return nil
	}, 1)
	if err != nil {
		return nil, err
	}
	for _, l := range d.Leads {
		slices.SortStableFunc(l.Events, func(a, b Event) int { return a.At.Compare(b.At) })
		slices.SortStableFunc(l.Stages, func(a, b Stage) int { return a.At.Compare(b.At) })
		slices.SortStableFunc(l.Outcomes, func(a, b Outcome) int { return a.At.Compare(b.At) })
	}
	return d, nil
}

// header is a CSV header with the positions of the wanted columns (−1 for
// an absent optional one).
type header struct {
	names []string
	col   []int
}

// readCSV reads path, finds the wanted columns (a leading "?" marks an
// optional one), parses the timestamp in wanted column tsCol of every row
// into ts[tsCol] (keeping DataEnd the latest) and calls row for each data
// row. Errors name the file and the line.
func (d *Dataset) readCSV(path string, wanted []string, row func(h header, rec []string, ts []time.Time) error, tsCol int) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	names, err := r.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: empty file, want a header line", path)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	h := header{names: slices.Clone(names), col: make([]int, len(wanted))}
	for j, w := range wanted {
		optional := strings.HasPrefix(w, "?")
		w = strings.TrimPrefix(w, "?")
		h.col[j] = slices.IndexFunc(h.names, func(n string) bool { return strings.EqualFold(strings.TrimSpace(n), w) })
		if h.col[j] < 0 && !optional {
			return fmt.Errorf("read %s line 1: column %s missing", path, w)
		}
	}
	ts := make([]time.Time, len(wanted))
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		if rec[h.col[0]] == "" {
			return fmt.Errorf("read %s line %d: empty %s", path, line, wanted[0])
		}
		t, err := parseTime(rec[h.col[tsCol]])
		if err != nil {
			return fmt.Errorf("read %s line %d: %s: %w", path, line, wanted[tsCol], err)
		}
		ts[tsCol] = t
		if t.After(d.DataEnd) {
			d.DataEnd = t
		}
		if err := row(h, rec, ts); err != nil {
			return fmt.Errorf("read %s line %d: %w", path, line, err)
		}
	}
}

// truthFile is the part of truth.yaml the oracle reads; other keys are
// ignored.
type truthFile struct {
	PlantedAgeDays     *float64           `yaml:"planted_age_days"`
	HorizonDays        *float64           `yaml:"horizon_days"`
	HalfLifeDays       *float64           `yaml:"half_life_days"`
	Intercept          *float64           `yaml:"intercept"`
	Weights            map[string]float64 `yaml:"weights"`
	SalesStages        []string           `yaml:"sales_stages"`
	NullActions        []string           `yaml:"null_actions"`
	SalesFilledColumns []string           `yaml:"sales_filled_columns"`
}

func (d *Dataset) readTruth(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %w", err)
	}
	var y truthFile
	if err := yaml.Unmarshal(raw, &y); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"planted_age_days", y.PlantedAgeDays}, {"horizon_days", y.HorizonDays}, {"half_life_days", y.HalfLifeDays}} {
		if f.v == nil || !(*f.v > 0) || math.IsInf(*f.v, 0) {
			return fmt.Errorf("read %s: %s missing or not a positive number", path, f.name)
		}
	}
	if y.Intercept == nil {
		return fmt.Errorf("read %s: intercept missing", path)
	}
	d.Truth = Truth{
		PlantedAgeDays: *y.PlantedAgeDays, HorizonDays: *y.HorizonDays, HalfLifeDays: *y.HalfLifeDays,
		Intercept: *y.Intercept, Weights: y.Weights, SalesStages: y.SalesStages,
		NullActions: y.NullActions, SalesFilledColumns: y.SalesFilledColumns,
	}
	return nil
}
