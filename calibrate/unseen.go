package calibrate

import (
	"fmt"
	"sort"
	"strings"
)

// UnseenLevel counts the test leads whose channel or attribute value the
// fit never saw (it appears only in the test period): they score as the
// group's baseline.
type UnseenLevel struct {
	// Feature is the group: "channel" or "attr:<column>".
	Feature string `json:"feature"`
	// Levels is the number of distinct unseen values; Leads the test leads
	// that have one.
	Levels int `json:"levels"`
	Leads  int `json:"leads"`
	// Baseline is the level they score as.
	Baseline string `json:"baseline"`
}

// countUnseen fills res.UnseenLevels from the test leads (leadRows, one row
// per lead) and adds a warning per group that has any.
func countUnseen(res *Result, d *design, l *Leads, leadRows []int) {
	for _, g := range d.groups {
		known := map[string]bool{g.baseline: true}
		for _, v := range g.levels {
			known[v] = true
		}
		for v := range g.lump {
			known[v] = true
		}
		values := map[string]bool{}
		leads := 0
		for _, i := range leadRows {
			v := levelName(g.attr >= 0, l.Channels[l.Channel[i]])
			if g.attr >= 0 {
				v = levelName(true, l.AttrValues[g.attr][i])
			}
			if !known[v] {
				values[v] = true
				leads++
			}
		}
		if leads == 0 {
			continue
		}
		res.UnseenLevels = append(res.UnseenLevels, UnseenLevel{Feature: g.key, Levels: len(values), Leads: leads, Baseline: g.baseline})
		names := make([]string, 0, len(values))
		for v := range values {
			names = append(names, v)
		}
		sort.Strings(names)
		shown := strings.Join(quoteAll(names[:min(3, len(names))]), ", ")
		if len(names) > 3 {
			shown += ", …"
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %d value(s) seen only in the test period (%s; %d test leads) score as the baseline %q",
			g.key, len(values), shown, leads, g.baseline))
	}
}
