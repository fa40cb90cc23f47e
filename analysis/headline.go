package analysis

import "time"

// Headline is what happened in the latest whole calendar month: the
// entries into each stage (PeriodRow) compared with the month before and
// the same month a year before.
type Headline struct {
	// Month (YYYY-MM) is the latest month of Period that DataEnd covers to
	// its last day, else the latest month there is (then Partial is true).
	Month   string `json:"month"`
	Partial bool   `json:"partial"`
	// PreviousMonth and YearAgoMonth are the months compared with.
	PreviousMonth string `json:"previous_month"`
	YearAgoMonth  string `json:"year_ago_month"`
	// Volumes has one entry per funnel stage, in funnel order.
	Volumes []VolumeChange `json:"volumes"`
}

// VolumeChange is the entries into one stage in Headline.Month and in the
// months it is compared with.
type VolumeChange struct {
	Stage   string `json:"stage"`
	Entries int64  `json:"entries"`
	// Previous and YearAgo are the entries in PreviousMonth and
	// YearAgoMonth; nil when Period has no such month.
	Previous *int64 `json:"previous"`
	YearAgo  *int64 `json:"year_ago"`
	// PreviousChange and YearAgoChange are the relative changes
	// (Entries − then) / then: 0.1 is 10% more; nil when then is missing
	// or 0.
	PreviousChange *float64 `json:"previous_change"`
	YearAgoChange  *float64 `json:"year_ago_change"`
}

// headline builds Headline from the period rows; nil when there are none.
func headline(period []PeriodRow) *Headline {
	if len(period) == 0 {
		return nil
	}
	pick := len(period) - 1
	for i := len(period) - 1; i >= 0; i-- {
		if !period[i].Partial {
			pick = i
			break
		}
	}
	cur := period[pick]
	t, err := ParseMonth(cur.Month)
	if err != nil {
		return nil
	}
	h := &Headline{Month: cur.Month, Partial: cur.Partial,
		PreviousMonth: monthString(t.AddDate(0, -1, 0)), YearAgoMonth: monthString(t.AddDate(-1, 0, 0))}
	byMonth := map[string]PeriodRow{}
	for _, p := range period {
		byMonth[p.Month] = p
	}
	for _, e := range cur.Entries {
		v := VolumeChange{Stage: e.Stage, Entries: e.Leads}
		if p, ok := byMonth[h.PreviousMonth]; ok {
			v.Previous, v.PreviousChange = then(e.Leads, p.Entries.Get(e.Stage))
		}
		if p, ok := byMonth[h.YearAgoMonth]; ok {
			v.YearAgo, v.YearAgoChange = then(e.Leads, p.Entries.Get(e.Stage))
		}
		h.Volumes = append(h.Volumes, v)
	}
	return h
}

// then returns an earlier count and the relative change to now from it
// (nil when it is 0).
func then(now, earlier int64) (*int64, *float64) {
	if earlier == 0 {
		return &earlier, nil
	}
	ch := float64(now-earlier) / float64(earlier)
	return &earlier, &ch
}

// markPartial sets Partial on the period rows the data does not cover
// whole: the last when end falls before that month's last day, the first
// when start (the earliest lead creation) is after that month's first day.
// A zero start leaves the first month alone.
func markPartial(period []PeriodRow, start, end time.Time) {
	if len(period) == 0 {
		return
	}
	if t, err := ParseMonth(period[0].Month); err == nil && !start.IsZero() {
		period[0].Partial = !start.UTC().Before(t.AddDate(0, 0, 1))
	}
	last := &period[len(period)-1]
	t, err := ParseMonth(last.Month)
	if err != nil {
		return
	}
	lastDay := t.AddDate(0, 1, -1)
	last.Partial = last.Partial || end.UTC().Before(lastDay)
}
