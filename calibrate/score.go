package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// buildModel turns the fit into a model file: integer points per feature
// (Points with the run's scale), the action caps and transform, the decay
// and the intercept. Rare levels lumped into OtherLevel are written out one
// by one with the points of OtherLevel (0 when the lumped level got no
// column), so the file needs no catch-all rule; each group's baseline is
// recorded, and levels the fit never saw score 0 like the baseline. The
// threshold is set later.
func buildModel(fit *LogitFit, d *design, res *Result) *Model {
	pdo := res.Options.PointsToDoubleOdds
	icpt := fit.Intercept
	m := &Model{
		Version: 1, Target: res.Target, PointsToDoubleOdds: pdo, Intercept: &icpt,
		HalfLifeDays: d.opts.HalfLife, ObserveDays: res.Options.ObserveDays,
		Actions: map[string]ActionPoints{}, Channels: map[string]int{},
		Attributes: map[string]map[string]int{}, Features: map[string]string{},
		Comments: map[string]string{}, Baselines: map[string]string{},
	}
	for _, lm := range res.Landmarks {
		m.Landmarks = append(m.Landmarks, ModelLandmark{Days: lm.Days, Intercept: lm.Intercept})
	}
	if len(m.Landmarks) < 2 {
		m.Landmarks = nil // one landmark: the intercept says it all
	}
	comment := func(j int) string {
		c := res.Coefficients[j]
		return fmt.Sprintf("weight %.3f, 95%% CI %.3f to %.3f, p %.2g", c.Weight, c.CILow, c.CIHigh, c.PValue)
	}
	for j, a := range d.actions {
		name := strings.TrimPrefix(a.name, "action:")
		m.Actions[name] = ActionPoints{Points: Points(fit.Coef[j], pdo), Cap: a.cap}
		if d.opts.Transform != TransformCount {
			m.Features[name] = d.opts.Transform
		}
		m.Comments[a.name] = comment(j)
	}
	j := len(d.actions)
	for _, g := range d.groups {
		col := strings.TrimPrefix(g.key, "attr:")
		m.Baselines[col] = g.baseline
		if !slices.Contains(g.levels, OtherLevel) {
			// Lumped values without a column of their own score as the
			// baseline; listing them with 0 points says the model saw them.
			for _, v := range sortedKeys(g.lump) {
				if g.attr < 0 {
					m.Channels[v] = 0
				} else {
					if m.Attributes[col] == nil {
						m.Attributes[col] = map[string]int{}
					}
					m.Attributes[col][v] = 0
				}
			}
		}
		for _, lv := range g.levels {
			pts := Points(fit.Coef[j], pdo)
			values := []string{lv}
			if lv == OtherLevel {
				values = sortedKeys(g.lump)
			}
			for _, v := range values {
				if g.attr < 0 {
					m.Channels[v] = pts
					m.Comments["channel:"+v] = comment(j)
					continue
				}
				if m.Attributes[col] == nil {
					m.Attributes[col] = map[string]int{}
				}
				m.Attributes[col][v] = pts
				m.Comments["attr:"+col+"="+v] = comment(j)
			}
			j++
		}
	}
	if len(d.numerics) > 0 {
		m.Numeric = map[string]NumericPoints{}
	}
	for _, c := range d.numerics {
		key := strings.TrimPrefix(c.name, "attr:")
		var np NumericPoints
		if c.linear {
			np.Points, np.Per = linearPoints(fit.Coef[j], pdo)
			m.Comments[c.name] = comment(j)
			j++
		} else {
			for k := 0; k <= len(c.edges); k++ {
				b := NumericBin{Below: math.Inf(1)}
				if k < len(c.edges) {
					b.Below = c.edges[k]
				}
				if k != c.baseline {
					b.Points = Points(fit.Coef[j], pdo)
					m.Comments[c.binName(k)] = comment(j)
					j++
				}
				np.Bins = append(np.Bins, b)
			}
		}
		if c.missing {
			np.Missing = Points(fit.Coef[j], pdo)
			m.Comments[c.name+"="+missingBin] = comment(j)
			j++
		}
		m.Numeric[key] = np
	}
	return m
}

// scoreRows scores rows of l with m through leadScorer, the path funnel
// score takes, so the threshold and the backtest use exactly the scores a
// live run would give. rowOf maps a row of l to its row of av (nil: the
// same row).
func scoreRows(m *Model, l *Leads, av *ActionValues, rows []int, rowOf []int32) []int {
	sc := newLeadScorer(m, l, av, rowOf)
	out := make([]int, len(rows))
	// One buffer for the reasons, which are thrown away: a fresh one per
	// row made 35k of calibrate's 289k page faults at 10M events.
	reasons := make([]Reason, 0, sc.maxReasons())
	for k, i := range rows {
		out[k], _ = sc.scoreAppend(reasons, i)
	}
	return out
}

// chooseModelThreshold takes the proposed model's scores of the test leads
// (one per lead: its highest snapshot score, with test the lead's first
// row), computes the trade-off curve and the score table, and sets the
// threshold by the rule.
func chooseModelThreshold(res *Result, m *Model, l *Leads, scores []int, test []int, rule ThresholdRule) error {
	res.Options.ThresholdRule = rule.Name()
	if len(test) == 0 {
		return fmt.Errorf("calibrate: no test leads to choose the threshold on: %w", ErrEmptyData)
	}
	y := labels(l, test)
	curve := TradeoffCurve(scores, y, nil, res.Options.TestMonths, rule.Value, rule.Cost)
	table := ScoreTable{Intercept: *m.Intercept, PDO: m.PointsToDoubleOdds}
	count := map[int]int{}
	for _, s := range scores {
		count[s]++
	}
	for _, pt := range curve {
		res.Tradeoff = append(res.Tradeoff, TradeoffRow{
			Points: pt.Points, Probability: table.Probability(pt.Points), MQLsPerMonth: pt.MQLsPerMonth,
			Precision: pt.Precision, Recall: pt.Recall, ExpectedValue: pt.ExpectedValue,
		})
		res.ScoreTable = append(res.ScoreTable, ScoreRow{Points: pt.Points, Probability: table.Probability(pt.Points), Leads: count[pt.Points]})
	}
	best, err := ChooseThreshold(curve, rule)
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	m.Threshold = best.Points
	res.Threshold = Threshold{
		Points: best.Points, Probability: table.Probability(best.Points), Rule: rule.Name(),
		MQLsPerMonth: best.MQLsPerMonth, Precision: best.Precision, Recall: best.Recall,
		ExpectedValue:     best.ExpectedValue,
		TodayMQLsPerMonth: res.Threshold.TodayMQLsPerMonth, TodayPrecision: res.Threshold.TodayPrecision,
	}
	return nil
}

// LeadScore is one lead scored by a model.
type LeadScore struct {
	// LeadID is the lead.
	LeadID string
	// Score is the lead's score in points.
	Score int
	// Probability is the model's probability of the target at Score; NaN
	// when the model has no intercept.
	Probability float64
	// MQL is Score ≥ the model's threshold, for a lead not yet handed over.
	MQL bool
	// Handed is true for a lead already in a sales stage or closed at the
	// scoring moment: scored, but no MQL candidate.
	Handed bool
	// AgeDays is the lead's age at the scoring moment, in days; NaN for an
	// undated lead (scored with the first landmark's intercept, no events).
	AgeDays float64
	// Unseen is how many of the lead's channel and attribute levels the
	// model was not fitted on (it records their group's baseline but not
	// the level): each scores as the baseline.
	Unseen int
	// Reasons are the non-zero contributions, largest first. From
	// ScoreLeads they are valid only during the emit call (copy to keep).
	Reasons []Reason
	// Row is the lead as ScoreOptions.Format formatted it (nil without
	// one); from ScoreLeads, valid only during the emit call.
	Row []byte
}

// AppendTopReasons appends up to n reasons to dst, formatted as
// "demo_request +12; referral +15": the feature without its kind prefix (an
// attribute as column=value; an event value sum keeps its "value:", so it
// reads apart from the action's count) and its points rounded. Formatting
// into one buffer again and again spares a 100M score 5M strings, about
// 1.6 s of allocation and collection.
func (s LeadScore) AppendTopReasons(dst []byte, n int) []byte {
	for k, r := range s.Reasons {
		if k == n {
			break
		}
		if k > 0 {
			dst = append(dst, "; "...)
		}
		name := r.Feature
		if i := strings.IndexByte(name, ':'); i >= 0 && !strings.HasPrefix(name, valuePrefix) {
			name = name[i+1:]
		}
		dst = append(dst, name...)
		dst = append(dst, ' ')
		pts := math.Round(r.Points)
		if pts >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendFloat(dst, pts, 'f', 0, 64)
	}
	return dst
}

// CheckModel reports, as an error wrapping ErrUnknownFeature, every action,
// channel or attribute column that m names and the store does not hold.
// Attribute values are not checked: a rule for a value no lead has yet
// (title: student) is legitimate.
func CheckModel(ctx context.Context, st *queries.Store, m *Model) error {
	names, err := st.FeatureNames(ctx)
	if err != nil {
		return err
	}
	known := make([]string, 0, len(names.Actions)+len(names.Channels))
	for _, a := range names.Actions {
		known = append(known, "action:"+a)
	}
	for _, c := range names.Channels {
		known = append(known, "channel:"+levelName(false, c))
	}
	cols := map[string]bool{}
	for _, a := range names.Attributes {
		cols[a] = true
	}
	for col, vals := range m.Attributes {
		if cols[col] {
			for v := range vals {
				known = append(known, "attr:"+col+"="+v)
			}
		}
	}
	for _, a := range names.Actions {
		known = append(known, valuePrefix+a)
	}
	for _, a := range names.Attributes {
		known = append(known, "attr:"+a)
	}
	if err := m.CheckFeatures(known); err != nil {
		return fmt.Errorf("%w (the data has actions %s; channels %s; attribute columns %s)", err,
			listOrNone(names.Actions), listOrNone(names.Channels), listOrNone(names.Attributes))
	}
	return nil
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	const max = 12
	if len(s) > max {
		return strings.Join(s[:max], ", ") + fmt.Sprintf(", … (%d in all)", len(s))
	}
	return strings.Join(s, ", ")
}

// ScoreOptions configure ScoreLeads.
type ScoreOptions struct {
	// SalesStages end the observation window (nil: DefaultSalesStages).
	SalesStages []string
	// AsOf is the moment the leads are scored at; zero means just after the
	// end of the data.
	AsOf time.Time
	// Progress, when not nil, receives one line per step.
	Progress func(msg string)
	// Workers score leads side by side (0: GOMAXPROCS); they are emitted
	// in order all the same.
	Workers int
	// Format, when not nil, formats each scored lead on the workers,
	// appending to dst; emit finds the bytes in LeadScore.Row. It must be
	// safe to call from several goroutines at once.
	Format func(dst []byte, s LeadScore) []byte
}

// scoredActions are the actions of m worth points, sorted: an action of 0
// points adds nothing to a score and is no reason, so its events (often the
// most common, like email opens) are not read.
func scoredActions(m *Model) []string {
	var out []string
	for _, a := range sortedKeys(m.Actions) {
		if m.Actions[a].Points != 0 {
			out = append(out, a)
		}
	}
	return out
}

// ScoreLeads applies model m to every lead created by o.AsOf, in created_at
// order, and calls emit for each: what a live score would have said at that
// moment. A lead's features are the events strictly before the moment,
// decayed from it; its probability uses the intercept of the largest
// landmark of the model not past the lead's age (Model.ProbabilityAt). A
// lead already in a sales stage or closed at the moment is marked Handed
// and is no MQL candidate. The model is checked with CheckModel, beside
// reading the leads; an error of the check is returned before one of
// reading them.
// The LeadScore emit receives, its Reasons included, is valid only during
// the call: the scorer uses their memory again for later leads.
func ScoreLeads(ctx context.Context, st *queries.Store, m *Model, o ScoreOptions, emit func(LeadScore) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if o.SalesStages == nil {
		o.SalesStages = DefaultSalesStages()
	}
	asOf := o.AsOf
	p := queries.FeatureParams{
		AsOf: &asOf, HorizonDays: DefaultHorizonDays,
		SalesStages: o.SalesStages, Target: m.Target, TargetStages: DefaultTargetStages(),
	}
	progress := func(s string) {
		if o.Progress != nil {
			o.Progress(s)
		}
	}
	actions := scoredActions(m)
	rows, err := st.NewFeatureActionRows(ctx, p, m.HalfLifeDays, actions)
	if err != nil {
		return err
	}
	// A started query not read (an error) is stopped before it is released.
	defer func() {
		cancel()
		rows.Close()
	}()
	// Once DuckDB has returned the leads, the model is checked against the
	// data and the first events are read beside the leads' ordering and
	// copying, which keeps one CPU busy: at 5M leads those queries took
	// 0.6 and 0.8 s with nothing else to do.
	checked := make(chan error, 1)
	started := false
	check := func() {
		started = true
		go func() { checked <- CheckModel(ctx, st, m) }()
	}
	progress("reading leads")
	l, err := loadLeadsThen(ctx, st, p, sortedKeys(m.Attributes), func() {
		check()
		rows.Start()
	})
	if !started {
		check() // no leads came back from DuckDB: the check runs alone
	}
	// The model's check comes first, as it would without the leads.
	if cerr := <-checked; cerr != nil {
		return cerr
	}
	if err != nil {
		return err
	}
	if len(m.Numeric) > 0 {
		progress("reading numeric features")
		if err := l.loadNumbers(ctx, st, p, m.numericFeatures(), time.Time{}); err != nil {
			return err
		}
	}
	progress("reading actions")
	av, err := actionTotals(rows, l, m.HalfLifeDays, actions)
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("scoring %d leads", l.Len()))
	sc := newLeadScorer(m, l, av, nil)
	most := sc.maxReasons()
	return scoreInOrder(ctx, l.Len(), o.Workers, func() scoreFunc {
		return func(i int, reasons []Reason) (LeadScore, []Reason) {
			s := LeadScore{LeadID: l.IDs[i], Probability: math.NaN(), Handed: l.Handed[i],
				AgeDays: l.cutoff(i).Sub(l.Created[i]).Hours() / 24}
			if l.Created[i].IsZero() {
				s.AgeDays = math.NaN() // an undated lead has no age
			}
			// The reasons of earlier leads stay where they are when the
			// chunk's reasons grow: they keep the array they point into.
			start := len(reasons)
			reasons = slices.Grow(reasons, most)
			s.Score, s.Reasons = sc.scoreAppend(reasons[start:start:start+most], i)
			reasons = reasons[:start+len(s.Reasons)]
			s.Unseen = sc.unseen(i)
			if p, ok := m.ProbabilityAt(s.Score, s.AgeDays); ok {
				s.Probability = p
			}
			s.MQL = !s.Handed && s.Score >= m.Threshold
			return s, reasons
		}
	}, o.Format, emit)
}
