package gen

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// funnelStats are realism figures of a data set, from the files.
type funnelStats struct {
	leads, mature, mql, sql, mqlThenSQL, wonMature, won int
	eventsPerLead                                       float64
	channelWinRate                                      map[string]float64 // among mature leads
	channelLeads                                        map[string]int
}

func computeStats(d *dataset) funnelStats {
	s := funnelStats{channelWinRate: map[string]float64{}, channelLeads: map[string]int{}}
	matureByChannel := map[string]int{}
	wonByChannel := map[string]int{}
	var events int
	for _, l := range d.leads {
		s.leads++
		events += len(l.events)
		s.channelLeads[l.channel]++
		mql, sql := l.reached("mql"), l.reached("sql")
		if mql {
			s.mql++
			if sql {
				s.mqlThenSQL++
			}
		}
		if sql {
			s.sql++
		}
		won := d.wonInHorizon(l)
		if won {
			s.won++
		}
		if d.mature(l) {
			s.mature++
			matureByChannel[l.channel]++
			if won {
				s.wonMature++
				wonByChannel[l.channel]++
			}
		}
	}
	for c, n := range matureByChannel {
		s.channelWinRate[c] = float64(wonByChannel[c]) / float64(n)
	}
	s.eventsPerLead = float64(events) / float64(s.leads)
	return s
}

func (s funnelStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "leads %d, mature %d, events/lead %.1f\n", s.leads, s.mature, s.eventsPerLead)
	fmt.Fprintf(&b, "reached MQL %.1f%%, MQL→SQL %.1f%%, SQL %.1f%% of leads\n",
		100*float64(s.mql)/float64(s.leads), 100*float64(s.mqlThenSQL)/float64(s.mql), 100*float64(s.sql)/float64(s.leads))
	fmt.Fprintf(&b, "won within horizon: %d of mature (%.2f%%), %d in all\n", s.wonMature,
		100*float64(s.wonMature)/float64(s.mature), s.won)
	var chans []string
	for c := range s.channelWinRate {
		chans = append(chans, c)
	}
	sort.Strings(chans)
	for _, c := range chans {
		fmt.Fprintf(&b, "  %-20s leads %6d  win rate %.2f%%\n", c, s.channelLeads[c], 100*s.channelWinRate[c])
	}
	return b.String()
}

func TestPrintStats(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(context.Background(), Config{}, dir); err != nil {
		t.Fatal(err)
	}
	d := loadDataset(t, dir)
	t.Log("\n" + computeStats(d).String())
}
