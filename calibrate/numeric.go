package calibrate

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// How numeric features enter the model (Options.Numeric).
const (
	// NumericBins cuts the number into quantile bins on the training leads
	// (snapshots for a value:<action> sum; at most MaxBins, each with
	// MinBinShare of them), merges adjacent bins
	// until the training log-odds are monotone, and gives every bin its own
	// indicator column and points, as credit scorecards do.
	NumericBins = "bins"
	// NumericBinsRaw is NumericBins without the monotone merging.
	NumericBinsRaw = "bins-raw"
	// NumericLinear enters the number as one column (points per unit).
	NumericLinear = "linear"
)

// valuePrefix starts a numeric feature that sums the event values of an
// action ("value:webinar_attended"); attribute features start "attr:".
const valuePrefix = "value:"

// missingBin names the bin of leads without a value ("attr:minutes=(missing)").
const missingBin = "(missing)"

// numericInput is one numeric feature's raw value per row of Leads.
type numericInput struct {
	// Name is the feature: "attr:<column>" or "value:<action>".
	Name string
	// Values[i] is row i's number; NaN when missing.
	Values []float64
}

// splitAttributes sorts the --attrs names into categorical attribute
// columns and numeric features ("attr:<column>" for a column whose filled
// values are all numbers, "value:<action>" as given), with notes on
// columns that look numeric but hold text. An unknown action of a
// value:<action> is an error.
func splitAttributes(ctx context.Context, st *queries.Store, attrs []string) (categorical, numeric, notes []string, err error) {
	var plain []string
	var values []string
	seen := map[string]bool{}
	for _, a := range attrs {
		a = strings.TrimSpace(a)
		if len(a) > len(valuePrefix) && strings.EqualFold(a[:len(valuePrefix)], valuePrefix) {
			name := valuePrefix + a[len(valuePrefix):]
			if !seen[name] {
				seen[name] = true
				values = append(values, name)
			}
			continue
		}
		if a != "" {
			plain = append(plain, a)
		}
	}
	if len(values) > 0 {
		names, err := st.FeatureNames(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		known := map[string]bool{}
		for _, a := range names.Actions {
			known[a] = true
		}
		for _, v := range values {
			if !known[strings.TrimPrefix(v, valuePrefix)] {
				return nil, nil, nil, fmt.Errorf("%w: %s: the events have no action %q (actions: %s)",
					ErrUnknownFeature, v, strings.TrimPrefix(v, valuePrefix), listOrNone(names.Actions))
			}
		}
	}
	kinds, err := st.AttributeKinds(ctx, plain)
	if err != nil {
		return nil, nil, nil, err
	}
	isNumeric := map[string]bool{}
	for _, k := range kinds {
		switch {
		case k.Numeric():
			isNumeric[k.Name] = true
		case 2*k.Numbers >= k.Filled:
			notes = append(notes, fmt.Sprintf("attribute %s looks numeric (%d of %d values are numbers) but holds text such as %q, so it is used as categorical levels; to use it as a number, empty or fix those values (funnel load --placeholders empties n/a, -, Select and the like)",
				k.Name, k.Numbers, k.Filled, k.TextExample))
		}
	}
	done := map[string]bool{}
	for _, a := range plain {
		a = strings.ToLower(a)
		if done[a] {
			continue
		}
		done[a] = true
		if isNumeric[a] {
			numeric = append(numeric, "attr:"+a)
		} else {
			categorical = append(categorical, a)
		}
	}
	return categorical, append(numeric, values...), notes, nil
}

// loadNumbers reads the numeric features names ("attr:<column>",
// "value:<action>") of every row into l.Numbers; value sums only for leads
// created at or before createdTo (zero: all). An attribute without a
// number is missing (NaN); an action's value sum is 0 for a row whose lead
// did not do it before the row's moment, and missing when none of its
// events has a value.
func (l *Leads) loadNumbers(ctx context.Context, st *queries.Store, p queries.FeatureParams, names []string, createdTo time.Time) error {
	attrCol := map[string]int{}
	actionCol := map[string]int{}
	var attrs, actions []string
	for _, name := range names {
		in := numericInput{Name: name, Values: make([]float64, l.Len())}
		if a, ok := strings.CutPrefix(name, valuePrefix); ok {
			actionCol[a] = len(l.Numbers)
			actions = append(actions, a)
		} else {
			for i := range in.Values {
				in.Values[i] = math.NaN()
			}
			col := strings.TrimPrefix(name, "attr:")
			attrCol[col] = len(l.Numbers)
			attrs = append(attrs, col)
		}
		l.Numbers = append(l.Numbers, in)
	}
	if len(attrs) > 0 {
		err := st.FeatureNumbers(ctx, attrs, l.SampleEvery, func(fn queries.FeatureNumber) error {
			first, ok := l.firstRow(fn.LeadRow)
			k, known := attrCol[fn.Name]
			if !ok || !known {
				return nil
			}
			for i := first; i < l.Len() && l.Rows[i] == fn.LeadRow; i++ {
				l.Numbers[k].Values[i] = fn.Number
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(actions) > 0 {
		err := st.FeatureValueSums(ctx, p, actions, createdTo, func(vs queries.FeatureValueSum) error {
			first, ok := l.firstRow(vs.LeadRow)
			i := first + vs.Seq
			k, known := actionCol[vs.Action]
			if ok && known && i < l.Len() && l.Rows[i] == vs.LeadRow && int(l.Seq[i]) == vs.Seq {
				l.Numbers[k].Values[i] = vs.Total
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// numericCol is one numeric feature of a design: either bins (each bin but
// the baseline its own indicator column) or one linear column, and a
// missing indicator column when the training rows allow one.
type numericCol struct {
	// name is the feature ("attr:<column>" or "value:<action>") and input
	// its index in Leads.Numbers.
	name  string
	input int
	// linear enters the value itself; otherwise edges are the bins' cut
	// points (see binOf) and baseline the bin without a column.
	linear   bool
	edges    []float64
	baseline int
	// missing is true when missing values have their own column (the last
	// of the feature's columns); otherwise they count as the baseline (0).
	missing bool
	// bins are the training tallies of the bins (leads, or snapshots for a
	// value sum) and miss of the training snapshots without a value.
	bins []binTally
	miss binTally
}

// NumericBinRow is one bin of a numeric feature in calibration.json (a
// linear feature has only its missing bin):
// what the training data held in it, so a reviewer sees why bins were
// merged.
type NumericBinRow struct {
	// Feature is the numeric feature, "attr:<column>" or "value:<action>".
	Feature string `json:"feature"`
	// Bin is the range, "[5,60)" (from 5 up to but not including 60),
	// "(-inf,5)", "[60,inf)", or "(missing)" for the leads without a value.
	Bin string `json:"bin"`
	// Leads and Positives count the training leads in the bin and those that
	// reached the target (snapshots for a value:<action> sum and for the
	// missing bin); Rate is Positives/Leads.
	Leads     int     `json:"leads"`
	Positives int     `json:"positives"`
	Rate      float64 `json:"rate"`
	// Baseline is true for the bin without a column (0 points); also for
	// the missing bin when it has no column of its own.
	Baseline bool `json:"baseline"`
}

// numericBinRows lists the bins of the design's binned features and the
// missing bin of every numeric feature that has training rows without a value.
func numericBinRows(d *design) []NumericBinRow {
	out := []NumericBinRow{}
	row := func(feature, bin string, t binTally, baseline bool) NumericBinRow {
		r := NumericBinRow{Feature: feature, Bin: bin, Leads: int(t.n), Positives: int(t.pos), Baseline: baseline}
		if t.n > 0 {
			r.Rate = t.pos / t.n
		}
		return r
	}
	for _, c := range d.numerics {
		for k, t := range c.bins {
			out = append(out, row(c.name, c.binName(k)[len(c.name)+1:], t, k == c.baseline))
		}
		if c.miss.n > 0 {
			out = append(out, row(c.name, missingBin, c.miss, !c.missing))
		}
	}
	return out
}

// binName is the feature name of bin k: name=[lo,hi) with -inf/inf ends.
func (c *numericCol) binName(k int) string {
	return binFeature(c.name, c.edges, k)
}

// binFeature is the feature name of bin k of a feature cut at edges,
// "attr:minutes=[10,60)", "(-inf,10)" and "[60,inf)" at the ends.
func binFeature(name string, edges []float64, k int) string {
	lo, hi := "(-inf", "inf)"
	if k > 0 {
		lo = "[" + strconv.FormatFloat(edges[k-1], 'g', -1, 64)
	}
	if k < len(edges) {
		hi = strconv.FormatFloat(edges[k], 'g', -1, 64) + ")"
	}
	return name + "=" + lo + "," + hi
}

// columns are the feature's column names in order: the bins but the
// baseline (or the name itself when linear), then the missing column.
func (c *numericCol) columns() []string {
	var out []string
	if c.linear {
		out = append(out, c.name)
	} else {
		for k := 0; k <= len(c.edges); k++ {
			if k != c.baseline {
				out = append(out, c.binName(k))
			}
		}
	}
	if c.missing {
		out = append(out, c.name+"="+missingBin)
	}
	return out
}

// width is the number of the feature's columns, len(columns()).
func (c *numericCol) width() int {
	w := len(c.edges) // every bin but the baseline
	if c.linear {
		w = 1
	}
	if c.missing {
		w++
	}
	return w
}

// fill writes the feature's columns for value x into cols (the row's slice
// starting at the feature's first column).
func (c *numericCol) fill(cols []float64, x float64) {
	if math.IsNaN(x) {
		if c.missing {
			cols[len(cols)-1] = 1
		}
		return
	}
	if c.linear {
		cols[0] = x
		return
	}
	k := binOf(c.edges, x)
	switch {
	case k < c.baseline:
		cols[k] = 1
	case k > c.baseline:
		cols[k-1] = 1
	}
}

// newNumericCols chooses each numeric feature's columns from the training
// rows (mode NumericBins, NumericBinsRaw or NumericLinear; minLevel is the
// fewest training rows a missing column needs) and says what it dropped
// or merged. An attribute's bins are cut on the training leads, one row
// each (its value and label are the same at every snapshot), so a lead
// with many snapshots weighs no more than one with a single snapshot; an
// event value sum, which differs between a lead's snapshots, is cut on the
// training snapshots.
func newNumericCols(l *Leads, train []int, mode string, minLevel int) ([]numericCol, []string) {
	var out []numericCol
	var warn []string
	leads, _ := maxPerLead(l, train, make([]int, len(train)))
	x := make([]float64, 0, len(train))
	y := make([]float64, 0, len(train))
	for k, in := range l.Numbers {
		var miss binTally
		for _, i := range train {
			if math.IsNaN(in.Values[i]) {
				miss.n++
				miss.pos += l.Label[i]
			}
		}
		binRows := leads
		if strings.HasPrefix(in.Name, valuePrefix) {
			binRows = train
		}
		x, y = x[:0], y[:0]
		for _, i := range binRows {
			if v := in.Values[i]; !math.IsNaN(v) {
				x = append(x, v)
				y = append(y, l.Label[i])
			}
		}
		if len(x) == 0 {
			warn = append(warn, fmt.Sprintf("%s dropped: no training lead has a value", in.Name))
			continue
		}
		c := numericCol{name: in.Name, input: k, linear: mode == NumericLinear, miss: miss}
		if miss.n > 0 {
			if c.missing = miss.n >= float64(minLevel) && miss.pos > 0 && miss.pos < miss.n; !c.missing {
				warn = append(warn, fmt.Sprintf("%s: the %.0f training rows without a value get no weight of their own (fewer than %d, or all with one outcome) and score as the baseline", in.Name, miss.n, minLevel))
			}
		}
		if !c.linear {
			c.edges = quantileEdges(x, MaxBins, int(math.Ceil(MinBinShare*float64(len(binRows)))))
			if mode != NumericBinsRaw {
				c.edges = mergeMonotone(c.edges, x, y)
			} else {
				c.edges = mergePure(tallyBins(c.edges, x, y), c.edges)
			}
			t := tallyBins(c.edges, x, y)
			c.bins = t
			for b := range t {
				if t[b].n > t[c.baseline].n {
					c.baseline = b
				}
			}
			if len(c.edges) == 0 {
				warn = append(warn, fmt.Sprintf("%s: a single bin is left after merging (no monotone relation with the target among %d training values)", in.Name, len(x)))
			}
		} else if constant(x) {
			warn = append(warn, fmt.Sprintf("%s: every training value is the same", in.Name))
			c.linear, c.edges = false, nil
		}
		if len(c.columns()) == 0 {
			warn = append(warn, fmt.Sprintf("%s dropped: no column left", in.Name))
			continue
		}
		out = append(out, c)
	}
	return out, warn
}

// constant reports whether x holds fewer than two distinct values.
func constant(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

// numericLeak judges a numeric feature as findLeaks judges a one-hot group
// (levelLeak), with its bins as levels (for a linear feature, the quantile
// bins of the leads' values) and a missing value as not filled in; "" when
// it looks like an ordinary signal.
func numericLeak(l *Leads, leads []int, y []float64, c numericCol) string {
	vals := l.Numbers[c.input].Values
	edges := c.edges
	if c.linear {
		var x []float64
		for _, i := range leads {
			if !math.IsNaN(vals[i]) {
				x = append(x, vals[i])
			}
		}
		edges = quantileEdges(x, MaxBins, int(math.Ceil(MinBinShare*float64(len(leads)))))
	}
	level := func(i int) string {
		if math.IsNaN(vals[i]) {
			return ""
		}
		return binFeature("", edges, binOf(edges, vals[i]))[1:]
	}
	return levelLeak(leads, y, level, true)
}
