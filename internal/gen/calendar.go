package gen

import (
	"math"
	"sort"
	"time"
)

// Times inside the generator are Unix seconds (UTC), the resolution of the
// files, so that what the generator computes from a timestamp is exactly
// what a reader of the files computes.
const (
	minute = 60
	hour   = 3600
	day    = 86400
)

// seasonality is the relative lead volume by calendar month (January
// first): Q4 up, August and December down.
var seasonality = [12]float64{1.00, 1.00, 1.10, 1.00, 1.00, 0.95, 0.85, 0.70, 1.10, 1.20, 1.25, 0.90}

// growthPerMonth is the month-on-month growth of lead volume.
const growthPerMonth = 0.015

// weekdayWeight is the relative volume by weekday (Sunday first).
var weekdayWeight = [7]float64{0.30, 1, 1, 1, 1, 1, 0.35}

// hourWeight is the relative volume by hour of day (UTC).
var hourWeight = [24]float64{
	0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.40,
	0.80, 1.20, 1.20, 1.20, 1.00, 1.00, 1.10, 1.10,
	1.10, 0.80, 0.50, 0.50, 0.50, 0.30, 0.30, 0.30,
}

// calendar places leads in time: leads are numbered in order of creation,
// each month gets a share of them by seasonality and growth, and within a
// month they follow weekday and hour-of-day patterns.
type calendar struct {
	start, end int64
	monthStart []int64     // len months+1; the last is end
	firstLead  []int       // len months+1; index of the first lead of each month
	dayCum     [][]float64 // per month, cumulative day weights normalised to 1, len days+1
	hourCum    [25]float64
}

func newCalendar(cfg Config) *calendar {
	c := &calendar{end: cfg.End.Unix()}
	startT := cfg.End.AddDate(0, -cfg.Months, 0)
	c.start = startT.Unix()
	weights := make([]float64, cfg.Months)
	var total float64
	for m := range cfg.Months {
		t := startT.AddDate(0, m, 0)
		c.monthStart = append(c.monthStart, t.Unix())
		length := float64(startT.AddDate(0, m+1, 0).Unix()-t.Unix()) / day
		weights[m] = seasonality[t.Month()-1] * math.Pow(1+growthPerMonth, float64(m)) * length / 30.44
		total += weights[m]
		c.dayCum = append(c.dayCum, dayWeights(t, startT.AddDate(0, m+1, 0)))
	}
	c.monthStart = append(c.monthStart, c.end)
	// Largest-remainder allocation of the leads to months.
	counts := make([]int, cfg.Months)
	rem := make([]float64, cfg.Months)
	given := 0
	for m, w := range weights {
		x := float64(cfg.Leads) * w / total
		counts[m] = int(x)
		rem[m] = x - float64(counts[m])
		given += counts[m]
	}
	order := make([]int, cfg.Months)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for i := 0; given < cfg.Leads; i++ {
		counts[order[i%len(order)]]++
		given++
	}
	c.firstLead = make([]int, cfg.Months+1)
	for m, n := range counts {
		c.firstLead[m+1] = c.firstLead[m] + n
	}
	var h float64
	for i, w := range hourWeight {
		h += w
		c.hourCum[i+1] = h
	}
	for i := range c.hourCum {
		c.hourCum[i] /= h
	}
	return c
}

// dayWeights returns the cumulative weekday weights of the days in
// [from, to), normalised to end at 1.
func dayWeights(from, to time.Time) []float64 {
	cum := []float64{0}
	var s float64
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		s += weekdayWeight[d.Weekday()]
		cum = append(cum, s)
	}
	for i := range cum {
		cum[i] /= s
	}
	return cum
}

// created returns the creation time of lead i given u in [0,1). The map from
// (i, u) to time is increasing, so lead numbers follow creation order.
func (c *calendar) created(i int, u float64) int64 {
	m := sort.Search(len(c.firstLead)-1, func(m int) bool { return c.firstLead[m+1] > i })
	n := c.firstLead[m+1] - c.firstLead[m]
	q := (float64(i-c.firstLead[m]) + u) / float64(n)
	cum := c.dayCum[m]
	d := max(sort.SearchFloat64s(cum, q)-1, 0)
	d = min(d, len(cum)-2)
	r := (q - cum[d]) / (cum[d+1] - cum[d])
	h := max(sort.SearchFloat64s(c.hourCum[:], r)-1, 0)
	h = min(h, 23)
	r2 := (r - c.hourCum[h]) / (c.hourCum[h+1] - c.hourCum[h])
	t := c.monthStart[m] + int64(d)*day + int64(h)*hour + int64(r2*hour)
	return min(max(t, c.monthStart[m]), c.monthStart[m+1]-1)
}

// appendTime appends the UTC timestamp unix as YYYY-MM-DD HH:MM:SS, for
// years 0–9999.
func appendTime(b []byte, unix int64) []byte {
	days := unix / day
	secs := unix - days*day
	if secs < 0 {
		secs += day
		days--
	}
	// Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible
	// Low-Level Date Algorithms", civil_from_days).
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	hh, mm, ss := secs/3600, secs/60%60, secs%60
	return append(b,
		byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+d/10), byte('0'+d%10), ' ',
		byte('0'+hh/10), byte('0'+hh%10), ':',
		byte('0'+mm/10), byte('0'+mm%10), ':',
		byte('0'+ss/10), byte('0'+ss%10))
}
