package calibrate

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/funnel-dev/funnel/internal/hugepage"
)

// Transform names how an action's value enters the model.
const (
	// TransformCount uses the (decayed) count, capped.
	TransformCount = "count"
	// TransformLog1p uses ln(1 + capped (decayed) count).
	TransformLog1p = "log1p"
	// TransformYesNo uses 1 when the lead did the action before its cut-off,
	// else 0 (no decay).
	TransformYesNo = "yesno"
)

// Level names the design gives itself. They are in parentheses so that a
// real value ("other", "none") never merges with them.
const (
	// OtherLevel is the level that rare channel and attribute values are
	// lumped into.
	OtherLevel = "(other)"
	// MissingLevel is the level of a lead whose attribute is empty or absent.
	MissingLevel = "(missing)"
	// NoChannel is the level of a lead whose channel is empty.
	NoChannel = "(none)"
)

// levelName is the level a raw channel (attr false) or attribute value
// stands for: the value itself, or NoChannel / MissingLevel when it is
// empty, so an empty source or attribute is a group of its own.
func levelName(attr bool, raw string) string {
	switch {
	case raw != "":
		return raw
	case attr:
		return MissingLevel
	}
	return NoChannel
}

// DefaultMinCap is the smallest default cap on an action's value; see designOptions.Cap.
const DefaultMinCap = 10

// designOptions decide which columns enter a design and how.
type designOptions struct {
	// HalfLife is the decay half-life in days; 0 uses plain counts.
	HalfLife float64
	// Transform is TransformCount, TransformLog1p or TransformYesNo.
	Transform string
	// Cap is the cap on every action's value: > 0 fixes it, < 0 disables
	// capping, 0 takes the larger of DefaultMinCap and the 99th percentile of
	// the action's non-zero training values (so ordinary counts are left
	// alone and only heavy tails, such as bots, are cut).
	Cap float64
	// MinLeads is the fewest training leads an action, channel or attribute
	// level needs to get its own weight; rarer actions are dropped, rarer
	// levels lumped into OtherLevel. A level also needs 1% of training leads.
	MinLeads int
	// Numeric is how Leads.Numbers enter: NumericBins (default when
	// empty), NumericBinsRaw or NumericLinear.
	Numeric string
}

// actionCol is one action column of a design.
type actionCol struct {
	action int // index into ActionValues.Actions
	name   string
	cap    float64 // 0: no cap
}

// levelGroup is a one-hot group (the channel or one attribute).
type levelGroup struct {
	// key is "channel" or "attr:<column>"; attr is the attribute index (−1 for channel).
	key  string
	attr int
	// baseline is the reference level (no column).
	baseline string
	// levels are the levels with a column, in column order; lump holds the
	// rare values that map to OtherLevel.
	levels []string
	lump   map[string]bool
}

// matrixBlock is the number of rows design.matrix fills at a time.
const matrixBlock = 2048

// design maps raw lead values to the columns of a design matrix.
type design struct {
	opts    designOptions
	actions []actionCol
	groups  []levelGroup
	// numerics are the numeric features, their columns after the groups'.
	numerics []numericCol
	// landmarkCol maps a row's landmark index to its intercept column (the
	// first landmark seen in training has none: its intercept is the fit's);
	// landmarkDays are the ages of the landmarks with a column, in order.
	landmarkCol  map[int8]int
	landmarkDays []float64
	// names are the column names: the features (actions, channels,
	// attributes), then the landmark intercepts ("landmark:<days>").
	names []string
}

// features is the number of scoring features, the columns before the
// landmark intercepts.
func (d *design) features() int { return len(d.names) - len(d.landmarkDays) }

// LandmarkColumn is the name of the design column of the intercept shift of
// the landmark at the given age.
func landmarkColumn(days float64) string { return fmt.Sprintf("landmark:%g", days) }

// newDesign chooses the columns from the training rows: actions done by at
// least MinLeads training leads, every channel and attribute level seen with
// the most common as baseline and rare ones lumped. It returns the design and
// warnings about what it dropped or lumped.
func newDesign(l *Leads, av *ActionValues, train []int, rowOf []int32, o designOptions) (*design, []string) {
	d := &design{opts: o}
	var warn []string
	if o.MinLeads <= 0 {
		o.MinLeads = 1
	}
	minLevel := o.MinLeads
	if one := int(math.Ceil(0.01 * float64(len(train)))); one > minLevel {
		minLevel = one
	}
	nz := make([]float64, 0, len(train)) // reused: one buffer for every action
	for a, name := range av.Actions {
		vals := av.values(a, o.HalfLife)
		nz = nz[:0]
		for _, i := range train {
			if v := vals[row(rowOf, i)]; v > 0 {
				nz = append(nz, v)
			}
		}
		if len(nz) < o.MinLeads {
			warn = append(warn, fmt.Sprintf("action %s dropped: done by %d training leads before their cut-off (fewer than %d)", name, len(nz), o.MinLeads))
			continue
		}
		if len(nz) == len(train) && o.Transform == TransformYesNo {
			warn = append(warn, fmt.Sprintf("action %s dropped: every training lead did it (constant)", name))
			continue
		}
		c := actionCol{action: a, name: "action:" + name}
		switch {
		case o.Transform == TransformYesNo:
		case o.Cap > 0:
			c.cap = o.Cap
		case o.Cap == 0:
			q := kthSmallest(nz, int(math.Ceil(0.99*float64(len(nz))))-1)
			c.cap = math.Max(DefaultMinCap, math.Ceil(q))
		}
		d.actions = append(d.actions, c)
		d.names = append(d.names, c.name)
	}
	chanVals := func(i int) string { return levelName(false, l.Channels[l.Channel[i]]) }
	g, w := newLevelGroup("channel", -1, train, chanVals, l.Label, minLevel)
	warn = append(warn, w...)
	if g != nil {
		d.groups = append(d.groups, *g)
	}
	for a, col := range l.Attributes {
		vals := l.AttrValues[a]
		g, w := newLevelGroup("attr:"+col, a, train, func(i int) string { return levelName(true, vals[i]) }, l.Label, minLevel)
		warn = append(warn, w...)
		if g != nil {
			d.groups = append(d.groups, *g)
		}
	}
	for _, g := range d.groups {
		for _, lv := range g.levels {
			d.names = append(d.names, g.column(lv))
		}
	}
	numerics, numWarn := newNumericCols(l, train, o.Numeric, minLevel)
	d.numerics = numerics
	warn = append(warn, numWarn...)
	for _, c := range d.numerics {
		d.names = append(d.names, c.columns()...)
	}
	d.addLandmarks(l, train)
	return d, warn
}

// addLandmarks gives every landmark of the training rows after the first an
// intercept column, so the pooled fit has one intercept per landmark and
// shared weights.
func (d *design) addLandmarks(l *Leads, train []int) {
	if len(l.LandmarkDays) < 2 {
		return
	}
	seen := make([]bool, len(l.LandmarkDays))
	for _, i := range train {
		if k := l.Landmark[i]; k >= 0 {
			seen[k] = true
		}
	}
	d.landmarkCol = map[int8]int{}
	first := true
	for k, ok := range seen {
		if !ok {
			continue
		}
		if first {
			first = false
			continue
		}
		d.landmarkCol[int8(k)] = len(d.names)
		d.landmarkDays = append(d.landmarkDays, l.LandmarkDays[k])
		d.names = append(d.names, landmarkColumn(l.LandmarkDays[k]))
	}
}

// newLevelGroup counts the levels among the training rows; nil when the
// group is constant.
func newLevelGroup(key string, attr int, train []int, value func(int) string, label []float64, minLevel int) (*levelGroup, []string) {
	// value gives level names (levelName): an empty value is a level of its own.
	counts := map[string]int{}
	pos := map[string]float64{}
	for _, i := range train {
		v := value(i)
		counts[v]++
		pos[v] += label[i]
	}
	if len(counts) == 0 || (len(counts) == 1) {
		what := key
		if attr < 0 {
			return nil, nil // a single channel is simply no channel feature
		}
		if len(counts) == 0 || counts[MissingLevel] > 0 {
			return nil, []string{fmt.Sprintf("attribute %s dropped: no training lead has it", what[5:])}
		}
		return nil, []string{fmt.Sprintf("attribute %s dropped: every training lead has the same value", what[5:])}
	}
	levels := make([]string, 0, len(counts))
	for v := range counts {
		levels = append(levels, v)
	}
	// Most common first, ties by name, so the baseline is deterministic.
	sort.Slice(levels, func(i, j int) bool {
		if counts[levels[i]] != counts[levels[j]] {
			return counts[levels[i]] > counts[levels[j]]
		}
		return levels[i] < levels[j]
	})
	g := &levelGroup{key: key, attr: attr, baseline: levels[0], lump: map[string]bool{}}
	var rare []string
	nOther := 0
	var empty []string
	for _, v := range levels[1:] {
		if pos[v] == 0 && counts[v] >= minLevel && v != OtherLevel {
			// No training lead of this level reached the target: its own
			// weight would be −∞ (separation). It joins the lumped level.
			empty = append(empty, v)
		}
		if counts[v] < minLevel || v == OtherLevel || pos[v] == 0 {
			g.lump[v] = true
			nOther += counts[v]
			if v != OtherLevel {
				rare = append(rare, v)
			}
			continue
		}
		g.levels = append(g.levels, v)
	}
	sort.Strings(g.levels)
	var warn []string
	if len(g.lump) > 0 {
		lumpPos := 0.0
		for v := range g.lump {
			lumpPos += pos[v]
		}
		if lumpPos > 0 {
			g.levels = append(g.levels, OtherLevel)
		} else {
			// The lumped level holds no target either: it gets no column
			// and scores as the baseline, which the warning says.
			warn = append(warn, fmt.Sprintf("%s: the lumped values (%d) hold no training lead that reached the target, so they get no weight of their own and score as the baseline %q", key, len(g.lump), g.baseline))
		}
		if n := len(rare) - len(empty); n > 0 {
			warn = append(warn, fmt.Sprintf("%s: %d rare values (fewer than %d training leads each) lumped into %q", key, n, minLevel, OtherLevel))
		}
		if len(empty) > 0 {
			sort.Strings(empty)
			warn = append(warn, fmt.Sprintf("%s: no training lead with %s reached the target; lumped into %q (a weight of its own would be minus infinity)", key, strings.Join(quoteAll(empty), ", "), OtherLevel))
		}
	}
	return g, warn
}

// quoteAll quotes each string.
func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}

// column is the feature name of level v.
func (g *levelGroup) column(v string) string {
	if g.attr < 0 {
		return "channel:" + v
	}
	return g.key + "=" + v
}

// matrix builds the design matrix of the given leads; rowOf maps a lead to
// its row in av (nil: the same index). Unseen levels count as the baseline.
// It fills blocks of matrixBlock rows column by column, so the writes of a
// column stay within a block that fits in cache (writing each column down
// all rows took 3 s for 2.5M leads × 40 features).
func (d *design) matrix(l *Leads, av *ActionValues, leads []int, rowOf []int32) *mat.Dense {
	p := len(d.names)
	n := len(leads)
	data := make([]float64, n*p)
	hugepage.Advise(data)
	actionVals := make([][]float64, len(d.actions))
	for k, c := range d.actions {
		actionVals[k] = av.values(c.action, d.opts.HalfLife)
		if d.opts.Transform == TransformYesNo {
			actionVals[k] = av.Counts[c.action]
		}
	}
	groupCols := make([]map[string]int, len(d.groups)) // value → column; absent: baseline or unseen
	col := len(d.actions)
	for gi := range d.groups {
		g := &d.groups[gi]
		groupCols[gi] = map[string]int{}
		for k, lv := range g.levels {
			groupCols[gi][lv] = col + k
		}
		if other, ok := groupCols[gi][OtherLevel]; ok {
			for v := range g.lump {
				groupCols[gi][v] = other
			}
		}
		delete(groupCols[gi], g.baseline)
		col += len(g.levels)
	}
	// The channel is an index into l.Channels: its column is looked up once
	// per channel, not once per row (-1: the baseline or unseen).
	channelCol := make([]int, len(l.Channels))
	for gi, g := range d.groups {
		if g.attr >= 0 {
			continue
		}
		for c, name := range l.Channels {
			j, ok := groupCols[gi][levelName(false, name)]
			channelCol[c] = -1
			if ok {
				channelCol[c] = j
			}
		}
	}
	numFirst := make([]int, len(d.numerics))
	for k, c := range d.numerics {
		numFirst[k] = col
		col += c.width()
	}
	transform := transformOf(d.opts.Transform)
	// Most snapshots did most actions 0 times, which every transform
	// maps to 0: the matrix holds 0 already, so only other counts are
	// transformed and written.
	zeroStays := true
	for _, c := range d.actions {
		zeroStays = zeroStays && transform(c.cap, 0) == 0
	}
	fill := func(lo int) {
		block := leads[lo:min(lo+matrixBlock, n)]
		// Row by row, so each row's cells are written side by side.
		for r, i := range block {
			at, src := (lo+r)*p, row(rowOf, i)
			for k, c := range d.actions {
				if v := actionVals[k][src]; v != 0 || !zeroStays {
					data[at+k] = transform(c.cap, v)
				}
			}
		}
		for gi := range d.groups {
			g := &d.groups[gi]
			if g.attr < 0 {
				for r, i := range block {
					if j := channelCol[l.Channel[i]]; j >= 0 {
						data[(lo+r)*p+j] = 1
					}
				}
				continue
			}
			for r, i := range block {
				if j, ok := groupCols[gi][levelName(true, l.AttrValues[g.attr][i])]; ok {
					data[(lo+r)*p+j] = 1
				}
			}
		}
		for k := range d.numerics {
			c := &d.numerics[k]
			vals, width := l.Numbers[c.input].Values, c.width()
			for r, i := range block {
				at := (lo+r)*p + numFirst[k]
				c.fill(data[at:at+width], vals[i])
			}
		}
		if d.landmarkCol != nil {
			for r, i := range block {
				if j, ok := d.landmarkCol[l.Landmark[i]]; ok {
					data[(lo+r)*p+j] = 1
				}
			}
		}
	}
	// Blocks are filled side by side: they write disjoint rows and only
	// read the rest.
	blocks := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lo := range blocks {
				fill(lo)
			}
		}()
	}
	for lo := 0; lo < n; lo += matrixBlock {
		blocks <- lo
	}
	close(blocks)
	wg.Wait()
	if p == 0 {
		return nil
	}
	return mat.NewDense(n, p, data)
}

func row(rowOf []int32, i int) int {
	if rowOf == nil {
		return i
	}
	return int(rowOf[i])
}

// compress merges identical (x, y) rows into weighted unique rows when that
// at least halves the rows; otherwise it returns the data unchanged. uniq
// maps each input row to its unique row (nil when unchanged).
func compress(d Data) (out Data, uniq []int32) {
	if d.X == nil {
		return d, nil
	}
	n, p := d.X.Dims()
	raw := d.X.RawMatrix()
	key := make([]byte, 8*(p+1))
	seen := make(map[string]int, 1024)
	var first []int
	var w []float64
	uniq = make([]int32, n)
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			binary.LittleEndian.PutUint64(key[8*j:], math.Float64bits(raw.Data[i*raw.Stride+j]))
		}
		binary.LittleEndian.PutUint64(key[8*p:], math.Float64bits(d.Y[i]))
		if k, ok := seen[string(key)]; ok {
			w[k] += d.weight(i)
			uniq[i] = int32(k)
			continue
		}
		if len(first) > n/2 {
			return d, nil // does not pay
		}
		uniq[i] = int32(len(first))
		seen[string(key)] = len(first)
		first = append(first, i)
		w = append(w, d.weight(i))
	}
	if 2*len(first) > n {
		return d, nil
	}
	x := mat.NewDense(len(first), p, nil)
	y := make([]float64, len(first))
	for k, i := range first {
		x.SetRow(k, raw.Data[i*raw.Stride:i*raw.Stride+p])
		y[k] = d.Y[i]
	}
	return Data{Names: d.Names, X: x, Y: y, W: w}, uniq
}
