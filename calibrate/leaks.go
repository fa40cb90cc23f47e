package calibrate

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Thresholds of the possible-leak check (findLeaks).
const (
	// leakMinLeads is the fewest training leads a level needs before its
	// target rate is judged.
	leakMinLeads = 30
	// leakHighRate and leakLowRate bound the target rate of an ordinary
	// level: a level converting at ≥ 99%, or at ≤ 0.5% with no target at
	// all where the overall rate would give leakMinExpected, is filled in
	// after the outcome more often than it predicts it. (A level with a few
	// targets at a low rate, such as competitors, is a real negative signal.)
	leakHighRate    = 0.99
	leakLowRate     = 0.005
	leakMinExpected = 30
	// leakAUC is the AUC a single feature (or whether it is filled in at
	// all) may not reach on its own: real scoring signals do not separate
	// winners that well.
	leakAUC = 0.95
)

// findLeaks looks for features that are probably filled in after the
// outcome (sales tags, lead quality, deal fields that exist only for
// winners) and returns them, unless named in keep ("action:<name>",
// "channel", "attr:<column>", "value:<action>"): a channel or attribute
// (a numeric one judged by its bins) with a level of at
// least leakMinLeads training leads converting at ≥ 99%, or at ≤ 0.5%
// with not one target where the overall rate would give 30 or more; an
// attribute whose missingness alone reaches AUC ≥ 0.95; any feature that
// alone reaches AUC ≥ 0.95 (levels scored by their training target rate;
// an AUC of 1−a counts as a).
func findLeaks(l *Leads, av *ActionValues, train []int, d *design, keep []string) []ExcludedFeature {
	kept := func(name string) bool {
		return slices.ContainsFunc(keep, func(k string) bool { return strings.EqualFold(strings.TrimSpace(k), name) })
	}
	y := labels(l, train)
	// Channels and attributes belong to the lead: judge them on one row per
	// lead, so a lead's snapshots do not count as several leads.
	leads, _ := maxPerLead(l, train, make([]int, len(train)))
	yLeads := labels(l, leads)
	var out []ExcludedFeature
	// An action's lone AUC sorts every training snapshot by its value: the
	// actions are judged side by side, one per CPU.
	aucs := make([]float64, len(d.actions))
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for k, c := range d.actions {
		if kept(c.name) {
			continue
		}
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			vals := av.values(c.action, d.opts.HalfLife)
			transform := transformOf(d.opts.Transform)
			x := make([]float64, len(train))
			for r, i := range train {
				x[r] = transform(c.cap, vals[i])
			}
			aucs[k] = separation(AUC(x, y, nil))
		}()
	}
	wg.Wait()
	for k, c := range d.actions {
		if a := aucs[k]; !kept(c.name) && a >= leakAUC {
			out = append(out, ExcludedFeature{Feature: c.name, Reason: "possible_leak",
				Detail: fmt.Sprintf("on its own it separates the leads that reached the target with AUC %.3f", a)})
		}
	}
	for _, g := range d.groups {
		name := g.key
		if kept(name) {
			continue
		}
		value := func(i int) string { return l.Channels[l.Channel[i]] }
		if g.attr >= 0 {
			vals := l.AttrValues[g.attr]
			value = func(i int) string { return vals[i] }
		}
		if detail := levelLeak(leads, yLeads, value, g.attr >= 0); detail != "" {
			out = append(out, ExcludedFeature{Feature: name, Reason: "possible_leak", Detail: detail})
		}
	}
	for _, c := range d.numerics {
		if kept(c.name) {
			continue
		}
		if detail := numericLeak(l, leads, yLeads, c); detail != "" {
			out = append(out, ExcludedFeature{Feature: c.name, Reason: "possible_leak", Detail: detail})
		}
	}
	return out
}

// separation folds an AUC below ½ onto the upper half: a feature that ranks
// the targets last separates them as well as one that ranks them first.
func separation(auc float64) float64 { return max(auc, 1-auc) }

// levelLeak returns why a one-hot group looks filled in after the outcome,
// or "".
func levelLeak(train []int, y []float64, value func(int) string, attr bool) string {
	type tally struct{ n, pos float64 }
	by := map[string]*tally{}
	for r, i := range train {
		t := by[value(i)]
		if t == nil {
			t = &tally{}
			by[value(i)] = t
		}
		t.n++
		t.pos += y[r]
	}
	levels := make([]string, 0, len(by))
	total, totalPos := 0.0, 0.0
	for v, t := range by {
		levels = append(levels, v)
		total += t.n
		totalPos += t.pos
	}
	slices.Sort(levels)
	for _, v := range levels {
		t := by[v]
		if isMissing(v) || t.n < leakMinLeads {
			continue
		}
		rate := t.pos / t.n
		if rate >= leakHighRate || (rate <= leakLowRate && t.pos == 0 && t.n*totalPos/total >= leakMinExpected) {
			return fmt.Sprintf("%.0f training leads with %q convert at %.1f%%", t.n, v, 100*rate)
		}
	}
	rate := make([]float64, len(train))
	filled := make([]float64, len(train))
	for r, i := range train {
		t := by[value(i)]
		rate[r] = t.pos / t.n
		if !isMissing(value(i)) {
			filled[r] = 1
		}
	}
	if attr {
		if some := by[""] != nil || by[MissingLevel] != nil; some {
			if a := separation(AUC(filled, y, nil)); a >= leakAUC {
				return fmt.Sprintf("whether it is filled in at all separates the leads that reached the target (AUC %.3f)", a)
			}
		}
	}
	if a := separation(AUC(rate, y, nil)); a >= leakAUC {
		return fmt.Sprintf("on its own it separates the leads that reached the target with AUC %.3f", a)
	}
	return ""
}

// isMissing reports whether an attribute value is missing: empty, or stored
// as MissingLevel (the loader of flat exports writes an empty value so).
func isMissing(v string) bool { return v == "" || v == MissingLevel }

// without returns the design with the excluded actions and groups left out.
func (d *design) without(excluded []ExcludedFeature) *design {
	drop := map[string]bool{}
	for _, e := range excluded {
		drop[e.Feature] = true
	}
	out := &design{opts: d.opts}
	for _, c := range d.actions {
		if !drop[c.name] {
			out.actions = append(out.actions, c)
			out.names = append(out.names, c.name)
		}
	}
	for _, g := range d.groups {
		if drop[g.key] {
			continue
		}
		out.groups = append(out.groups, g)
		for _, lv := range g.levels {
			out.names = append(out.names, g.column(lv))
		}
	}
	for _, c := range d.numerics {
		if !drop[c.name] {
			out.numerics = append(out.numerics, c)
			out.names = append(out.names, c.columns()...)
		}
	}
	if d.landmarkCol != nil {
		out.landmarkCol = map[int8]int{}
		for k, j := range d.landmarkCol {
			out.landmarkCol[k] = j - d.features() + out.features()
		}
		out.landmarkDays = append(out.landmarkDays, d.landmarkDays...)
		out.names = append(out.names, d.names[d.features():]...)
	}
	return out
}
