package calibrate

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// splitLeads builds n leads created a day apart from 2024-01-01, lead k
// with 1 + k%2 snapshots, the leads with k%10 == 0 reaching the target
// (n/10 of them).
func splitLeads(n int) (*Leads, []int) {
	l := &Leads{}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := 0; k < n; k++ {
		y := 0.0
		if k%10 == 0 {
			y = 1
		}
		for s := 0; s < 1+k%2; s++ {
			l.IDs = append(l.IDs, fmt.Sprintf("L%d", k))
			l.Created = append(l.Created, day.AddDate(0, 0, k))
			l.Label = append(l.Label, y)
			l.Rows = append(l.Rows, int64(k))
			l.Seq = append(l.Seq, int8(s))
			l.Landmark = append(l.Landmark, int8(s))
			l.Mature = append(l.Mature, true)
		}
	}
	rows := make([]int, len(l.IDs))
	for i := range rows {
		rows[i] = i
	}
	return l, rows
}

// leadSet returns the leads (rowids) of rows and fails when a lead has
// rows on both sides.
func leadSet(t *testing.T, l *Leads, rows []int) map[int64]bool {
	t.Helper()
	out := map[int64]bool{}
	for _, i := range rows {
		out[l.Rows[i]] = true
	}
	return out
}

func TestSplitRandomStratified(t *testing.T) {
	// 200 leads, 20 of them targets; test share 0.3: a stratified split
	// holds out round(0.3·20) = 6 targets and round(0.3·180) = 54 others,
	// whatever the seed.
	l, mature := splitLeads(200)
	first := map[uint64]map[int64]bool{}
	for seed := uint64(1); seed <= 20; seed++ {
		train, test := splitRandom(l, mature, 0.3, seed)
		trainLeads, testLeads := leadSet(t, l, train), leadSet(t, l, test)
		for r := range testLeads {
			if trainLeads[r] {
				t.Fatalf("seed %d: lead %d has snapshots in both periods", seed, r)
			}
		}
		if len(train)+len(test) != len(mature) {
			t.Fatalf("seed %d: %d + %d rows, want %d", seed, len(train), len(test), len(mature))
		}
		pos := 0
		for r := range testLeads {
			if r%10 == 0 {
				pos++
			}
		}
		if len(testLeads) != 60 || pos != 6 {
			t.Errorf("seed %d: %d test leads with %d targets, want 60 with 6", seed, len(testLeads), pos)
		}
		for k := 1; k < len(test); k++ {
			if test[k] <= test[k-1] {
				t.Fatalf("seed %d: test rows out of order", seed)
			}
		}
		first[seed] = testLeads
	}
	// Same seed, same split; another seed, another split.
	_, again := splitRandom(l, mature, 0.3, 7)
	if got := leadSet(t, l, again); !sameSet(got, first[7]) {
		t.Error("seed 7 gave two different splits")
	}
	if sameSet(first[1], first[2]) {
		t.Error("seeds 1 and 2 gave the same split")
	}
	// Negative control: drawing 60 of the 200 leads without stratifying
	// misses the 6 targets for some of the same seeds, so the check above
	// tells a stratified split from a plain one.
	off := 0
	for seed := uint64(1); seed <= 20; seed++ {
		perm := rand.New(rand.NewPCG(seed, 0)).Perm(200)
		pos := 0
		for _, k := range perm[:60] {
			if k%10 == 0 {
				pos++
			}
		}
		if pos != 6 {
			off++
		}
	}
	if off == 0 {
		t.Error("an unstratified draw hit 6 targets for every seed: the check cannot tell the methods apart")
	}
}

func sameSet(a, b map[int64]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestTimeSplitRefused(t *testing.T) {
	// 10 leads a day apart; the first "shared" of them moved to lead 0's moment.
	withShared := func(shared int) (*Leads, []int) {
		l, mature := splitLeads(10)
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // lead 0's: the order stays by creation
		for i := range l.Created {
			if int(l.Rows[i]) < shared {
				l.Created[i] = at
			}
		}
		return l, mature
	}
	for _, tc := range []struct {
		name    string
		shared  int
		undated bool
		split   string
		want    string // "": the split used; else part of the error
	}{
		// 2 of 10 (20%) is not more than 20%: time is allowed.
		{"20% at one moment", 2, false, "", SplitTime},
		{"20% at one moment, time asked", 2, false, SplitTime, SplitTime},
		// 3 of 10 (30%): refused when asked, random by default.
		{"30% at one moment, time asked", 3, false, SplitTime, "3 of 10 mature leads (30%, more than 20%) were created at the same moment 2024-01-01T00:00:00Z"},
		{"30% at one moment, default", 3, false, "", SplitRandom},
		{"30% at one moment, random asked", 3, false, SplitRandom, SplitRandom},
		{"undated, time asked", 0, true, SplitTime, "1 of 10 mature leads have no creation date"},
		{"undated, default", 0, true, "", SplitRandom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, mature := withShared(tc.shared)
			if tc.undated {
				for i := range l.Created {
					if l.Rows[i] == 9 {
						l.Created[i] = time.Time{}
					}
				}
			}
			res := &Result{}
			o := Options{Split: tc.split, Seed: DefaultSeed, TestShare: 0.3}
			train, test, err := splitMature(res, &o, l, mature)
			if tc.want != SplitTime && tc.want != SplitRandom {
				if !errors.Is(err, ErrTimeSplit) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "use --split random") {
					t.Fatalf("err %v, want ErrTimeSplit saying %q and naming the fix", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Options.Split != tc.want || res.Options.Seed != DefaultSeed {
				t.Errorf("split %q seed %d, want %q seed %d", res.Options.Split, res.Options.Seed, tc.want, DefaultSeed)
			}
			if countLeads(l, train) != 7 || countLeads(l, test) != 3 {
				t.Errorf("%d training and %d test leads, want 7 and 3", countLeads(l, train), countLeads(l, test))
			}
			fellBack := tc.split == "" && tc.want == SplitRandom
			if warned := len(res.Warnings) == 1 && strings.Contains(res.Warnings[0], "split at random (seed 1)"); warned != fellBack {
				t.Errorf("warnings %q; want a fallback warning: %v", res.Warnings, fellBack)
			}
			if tc.want == SplitTime && l.Rows[test[0]] != 7 {
				t.Errorf("time split: test starts at lead %d, want the newest three (7, 8, 9)", l.Rows[test[0]])
			}
		})
	}
}
