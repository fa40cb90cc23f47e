package calibrate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// How mature leads are divided into training and test (Options.Split).
const (
	// SplitTime holds out the newest leads by creation date: out of time.
	SplitTime = "time"
	// SplitRandom holds out a random share of leads, stratified by target,
	// drawn with Options.Seed.
	SplitRandom = "random"
)

// DefaultSeed is the seed of the random split when none is given, so the
// same data gives the same split.
const DefaultSeed = 1

// maxSharedCreated is the largest share of mature leads that may have one
// creation moment for the time split: beyond it the newest-first order is
// mostly an order by lead id, not by time.
const maxSharedCreated = 0.2

// splitMature divides the mature rows into training and test rows by
// o.Split, recording the split in res.Options. The time split (SplitTime,
// and the default when the dates allow it) holds out the newest TestShare
// of leads; it is refused (ErrTimeSplit) when a mature lead has no creation
// date or more than 20% of mature leads share one creation moment. The
// default then falls back to the random split and says why in a warning.
// Rows come back in the order of l (a lead's rows together).
func splitMature(res *Result, o *Options, l *Leads, mature []int) (train, test []int, err error) {
	res.Options.Seed = o.Seed
	why := timeSplitProblem(l, mature)
	split := o.Split
	switch {
	case split == SplitTime && why != "":
		return nil, nil, fmt.Errorf("calibrate: %s: %w; use --split random", why, ErrTimeSplit)
	case split == "" && why != "":
		split = SplitRandom
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s, so leads were split at random (seed %d), stratified by target, instead of by creation date", why, o.Seed))
	case split == "":
		split = SplitTime
	}
	res.Options.Split = split
	if split == SplitTime {
		train, test = splitByLead(l, mature, o.TestShare)
		return train, test, nil
	}
	train, test = splitRandom(l, mature, o.TestShare, o.Seed)
	return train, test, nil
}

// timeSplitProblem says why the mature rows cannot be split by creation
// date, or "" when they can. Rows are in creation order (undated leads
// last), so leads sharing a moment are adjacent: one pass counts the
// longest run.
func timeSplitProblem(l *Leads, mature []int) string {
	leads, undated, run, most := 0, 0, 0, 0
	var prev, at time.Time
	for k, i := range mature {
		if !newLead(l, mature, k) {
			continue
		}
		leads++
		c := l.Created[i]
		if c.IsZero() {
			undated++
			continue
		}
		if run > 0 && c.Equal(prev) {
			run++
		} else {
			run, prev = 1, c
		}
		if run > most {
			most, at = run, c
		}
	}
	if undated > 0 {
		return fmt.Sprintf("%d of %d mature leads have no creation date", undated, leads)
	}
	if float64(most) > maxSharedCreated*float64(leads) {
		return fmt.Sprintf("%d of %d mature leads (%.0f%%, more than %.0f%%) were created at the same moment %s, so newest-first is not an order in time",
			most, leads, 100*float64(most)/float64(leads), 100*maxSharedCreated, at.Format(time.RFC3339))
	}
	return ""
}

// splitRandom holds out share of the mature leads at random, stratified by
// target: among the leads that reached it and among the others apart,
// round(share · n) leads are drawn without replacement (a Fisher–Yates
// shuffle by a PCG generator seeded with seed), so both periods have the
// target rate of the whole up to rounding, and the same seed gives the same
// split. A lead's snapshots stay together; rows keep the order of l.
func splitRandom(l *Leads, mature []int, share float64, seed uint64) (train, test []int) {
	var byClass [2][]int // position in mature of each lead's first row, by label
	for k, i := range mature {
		if newLead(l, mature, k) {
			c := int(l.Label[i])
			byClass[c] = append(byClass[c], k)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	inTest := make([]bool, len(mature)) // by position in mature
	for _, leads := range byClass {
		rng.Shuffle(len(leads), func(a, b int) { leads[a], leads[b] = leads[b], leads[a] })
		n := int(math.Round(share * float64(len(leads))))
		for _, k := range leads[:n] {
			inTest[k] = true
		}
	}
	lead := -1 // position in mature of the current lead's first row
	for k, i := range mature {
		if newLead(l, mature, k) {
			lead = k
		}
		if inTest[lead] {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test
}
