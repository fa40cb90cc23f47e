package calibrate

import (
	"strings"
	"testing"
)

// leakLeads builds n leads, one snapshot each, the first won of every 10
// (10% targets), with a channel and two attributes given per lead.
func leakLeads(n int, channel func(i int) string, attrs map[string]func(i int, won bool) string) *Leads {
	l := &Leads{Landmark: make([]int8, n), Seq: make([]int8, n)}
	chans := map[string]int32{}
	for i := range n {
		l.IDs = append(l.IDs, "L")
		l.Rows = append(l.Rows, int64(i))
		y := 0.0
		if i%10 == 0 {
			y = 1
		}
		l.Label = append(l.Label, y)
		c := channel(i)
		if _, ok := chans[c]; !ok {
			chans[c] = int32(len(l.Channels))
			l.Channels = append(l.Channels, c)
		}
		l.Channel = append(l.Channel, chans[c])
	}
	for name, f := range attrs {
		vals := make([]string, n)
		for i := range vals {
			vals[i] = f(i, l.Label[i] == 1)
		}
		l.Attributes = append(l.Attributes, name)
		l.AttrValues = append(l.AttrValues, vals)
	}
	return l
}

func TestFindLeaks(t *testing.T) {
	n := 1000
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	tests := []struct {
		name    string
		channel func(int) string
		attr    func(int, bool) string
		keep    []string
		want    string // the feature left out, "" for none
		detail  string
	}{
		// 100 winners; "quality" (A or B) filled for every winner and 20 of
		// 900 others: filled or not separates them with AUC (1 + 880/900)/2 ≈ 0.989.
		{"filled for winners", func(int) string { return "web" },
			func(i int, won bool) string {
				if won || i%45 == 1 {
					return []string{"A", "B"}[i%20/10]
				}
				return ""
			}, nil, "attr:quality", "whether it is filled in at all"},
		// The same with the empty values stored as "(missing)", as funnel
		// load writes them.
		{"filled for winners, stored as (missing)", func(int) string { return "web" },
			func(i int, won bool) string {
				if won || i%45 == 1 {
					return []string{"A", "B"}[i%20/10]
				}
				return MissingLevel
			}, nil, "attr:quality", "whether it is filled in at all"},
		// The same, put back with --keep.
		{"kept", func(int) string { return "web" },
			func(i int, won bool) string {
				if won || i%45 == 1 {
					return []string{"A", "B"}[i%20/10]
				}
				return ""
			}, []string{"attr:quality"}, "", ""},
		// A value held by 40 leads that all won: ≥ 99%.
		{"always won", func(int) string { return "web" },
			func(i int, won bool) string {
				if won && i < 400 {
					return "closed won"
				}
				return "open"
			}, nil, "attr:quality", `40 training leads with "closed won" convert at 100.0%`},
		// 400 leads of one value and no winner among them, where 10% would
		// give 40: a disposition filled in for losers.
		{"never won, many", func(int) string { return "web" },
			func(i int, won bool) string {
				if !won && i < 445 {
					return "not a fit"
				}
				return "ok"
			}, nil, "attr:quality", `convert at 0.0%`},
		// 200 leads without a winner, where the overall rate gives 20: a
		// strong real negative signal (competitors), not flagged.
		{"never won, few", func(int) string { return "web" },
			func(i int, won bool) string {
				if !won && i < 222 {
					return "competitor"
				}
				return "other"
			}, nil, "", ""},
		// An ordinary signal: referral holds half the winners and a third
		// of the others, about twice the rate of web; not a leak.
		{"ordinary", func(i int) string {
			if i%20 == 0 || (i%10 != 0 && i%3 == 0) {
				return "referral"
			}
			return "web"
		}, func(i int, won bool) string { return "x" }, nil, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := leakLeads(n, tc.channel, map[string]func(int, bool) string{"quality": tc.attr})
			d, _ := newDesign(l, &ActionValues{}, all, nil, designOptions{Transform: TransformCount, MinLeads: 1})
			got := findLeaks(l, &ActionValues{}, all, d, tc.keep)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("left out %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Feature != tc.want || got[0].Reason != "possible_leak" || !strings.Contains(got[0].Detail, tc.detail) {
				t.Errorf("left out %+v, want %s (%s)", got, tc.want, tc.detail)
			}
		})
	}
}
