package oracle

import (
	"math"
	"strings"
	"time"
)

// TrueLogit returns the truth's log-odds that l is won within HorizonDays,
// computed from the files:
//
//	Intercept + Weights["channel:"+channel] + Σ_columns Weights["attr:"+column+"="+value]
//	  + Σ over events e with e.At < L of Weights["action:"+e.Action] × 0.5^((L − e.At)/HalfLifeDays)
//	L = Created + PlantedAgeDays, ages in fractional days.
func (d *Dataset) TrueLogit(l *Lead) float64 {
	w := d.Truth.Weights
	z := d.Truth.Intercept + w["channel:"+l.Channel]
	for col, v := range l.Attributes {
		z += w["attr:"+col+"="+v]
	}
	at := l.Created.Add(days(d.Truth.PlantedAgeDays))
	for _, e := range l.Events {
		if !e.At.Before(at) {
			break // sorted by time
		}
		age := at.Sub(e.At).Seconds() / 86400
		z += w["action:"+e.Action] * math.Pow(0.5, age/d.Truth.HalfLifeDays)
	}
	return z
}

// Snapshot is one lead seen at one landmark age.
type Snapshot struct {
	// LeadID, Created, Channel and Attributes are the lead's (Attributes
	// is the lead's map, not a copy).
	LeadID     string
	Created    time.Time
	Channel    string
	Attributes map[string]string
	// Landmark is Created + the landmark age.
	Landmark time.Time
	// Label reports a won outcome within HorizonDays of Created.
	Label bool
	// Mature reports Created + HorizonDays ≤ DataEnd.
	Mature bool
	// TrueLogit is the truth's log-odds of the label (Dataset.TrueLogit),
	// which looks at the lead at PlantedAgeDays whatever the landmark.
	TrueLogit float64
	// Counts maps each action to the number of the lead's events strictly
	// before Landmark; an absent action has 0.
	Counts map[string]int
	// Decayed maps each action to Σ 0.5^((Landmark − occurred_at)/h) over
	// the same events, h the half-life asked for (ages in fractional days);
	// an absent action has 0.
	Decayed map[string]float64
}

// Snapshots returns a snapshot of every lead at age landmarkDays that is
// eligible there, in file order, with Decayed at the truth's half-life. A
// lead is eligible when, at L = Created + landmarkDays, it has no stage row
// named (case-insensitively) in salesStages with entered_at ≤ L, no outcome
// with closed_at ≤ L, and L ≤ DataEnd. Immature leads are included, marked
// by Mature.
func (d *Dataset) Snapshots(landmarkDays float64, salesStages []string) []Snapshot {
	return d.SnapshotsHalfLife(landmarkDays, d.Truth.HalfLifeDays, salesStages)
}

// SnapshotsHalfLife is Snapshots with Decayed at the half-life
// halfLifeDays (days, > 0) instead of the truth's.
func (d *Dataset) SnapshotsHalfLife(landmarkDays, halfLifeDays float64, salesStages []string) []Snapshot {
	var out []Snapshot
	for _, l := range d.Leads {
		at := l.Created.Add(days(landmarkDays))
		if at.After(d.DataEnd) || !firstSales(l, salesStages).After(at) || closedBy(l, at) {
			continue
		}
		s := Snapshot{
			LeadID: l.ID, Created: l.Created, Channel: l.Channel, Attributes: l.Attributes,
			Landmark: at, Label: d.Label(l), Mature: d.Mature(l), TrueLogit: d.TrueLogit(l),
			Counts: map[string]int{}, Decayed: map[string]float64{},
		}
		for _, e := range l.Events {
			if !e.At.Before(at) {
				break
			}
			s.Counts[e.Action]++
			s.Decayed[e.Action] += math.Pow(0.5, at.Sub(e.At).Seconds()/86400/halfLifeDays)
		}
		out = append(out, s)
	}
	return out
}

// never is later than any timestamp of a data set.
var never = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// firstSales returns the earliest entered_at of a stage in names, or never.
func firstSales(l *Lead, names []string) time.Time {
	for _, s := range l.Stages { // sorted by time
		for _, n := range names {
			if strings.EqualFold(s.Name, n) {
				return s.At
			}
		}
	}
	return never
}

// closedBy reports an outcome with closed_at ≤ at.
func closedBy(l *Lead, at time.Time) bool {
	return len(l.Outcomes) > 0 && !l.Outcomes[0].At.After(at)
}

// Window is a lead's action counts in the outcome-dependent window of the
// old engine (see OldCutoffCounts).
type Window struct {
	// LeadID is the lead's ID.
	LeadID string
	// Cutoff is min(Created + observe days, first entry into a sales stage).
	Cutoff time.Time
	// Label and Mature are as in Snapshot.
	Label, Mature bool
	// Counts maps each action to the number of the lead's events strictly
	// before Cutoff; an absent action has 0.
	Counts map[string]int
}

// OldCutoffCounts returns, for every lead in file order, its action counts
// before min(created_at + observeDays, first entry into any of salesStages)
// — the WRONG window, whose end depends on the outcome (winners reach sales
// sooner), kept to show that tests notice it.
func (d *Dataset) OldCutoffCounts(observeDays float64, salesStages []string) []Window {
	out := make([]Window, 0, len(d.Leads))
	for _, l := range d.Leads {
		cut := l.Created.Add(days(observeDays))
		if f := firstSales(l, salesStages); f.Before(cut) {
			cut = f
		}
		w := Window{LeadID: l.ID, Cutoff: cut, Label: d.Label(l), Mature: d.Mature(l), Counts: map[string]int{}}
		for _, e := range l.Events {
			if !e.At.Before(cut) {
				break
			}
			w.Counts[e.Action]++
		}
		out = append(out, w)
	}
	return out
}
