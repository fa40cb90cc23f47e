package calibrate

import (
	"context"
	"fmt"
	"reflect"

	"gonum.org/v1/gonum/mat"

	"github.com/funnel-dev/funnel/queries"
)

// Defaults of Options.
const (
	DefaultObserveDays = 30
	DefaultHorizonDays = 180
	DefaultPDO         = 10
	DefaultTestShare   = 0.3
	DefaultMinLeads    = 30
	// DefaultProfileSample is the most training leads the half-life search
	// fits on; larger training sets are subsampled evenly in time for the
	// search only, and the final fit uses every training lead.
	DefaultProfileSample = 100000
	// DefaultMaxLeads is the most leads a run reads before it samples: a
	// store with more is calibrated on every k-th lead in load order (see
	// Options.MaxLeads). 500,000 leads give standard errors of a few
	// hundredths on common features; past that a fit gains little precision
	// and costs time and memory in proportion.
	DefaultMaxLeads = 500000
)

// Options configure Run. The zero value calibrates target "won" with a
// 30-day observation window, a 180-day outcome window, no decay (set
// HalfLife{Auto: true} for the searched half-life that funnel calibrate
// uses by default), capped counts, channels and no attributes, unpenalised, 30% of mature leads held out in time, 10 points
// to double the odds, and the threshold ChooseThreshold picks on the test
// period (the best F1 when no value or cost is given).
type Options struct {
	// Target is "won" (default) or "sql".
	Target string
	// Landmarks are the lead ages in days at which snapshots are taken and
	// pooled (nil: DefaultLandmarks up to ObserveDays).
	Landmarks []float64
	// ObserveDays is the latest default landmark age in days (0: 30).
	ObserveDays float64
	// HorizonDays is the outcome window in days (0: 180).
	HorizonDays float64
	// SalesStages are owned by sales: a lead has snapshots only before its
	// first entry into one (nil: DefaultSalesStages).
	SalesStages []string
	// MQLStages mark today's hand-over, for the default threshold (nil:
	// DefaultMQLStages).
	MQLStages []string
	// Keep names features the leak check may not exclude ("attr:<column>",
	// "channel", "action:<name>").
	Keep []string
	// TargetStages count as SQL for target "sql" (nil: DefaultTargetStages).
	TargetStages []string
	// HalfLife is the decay of action events; the zero value is no decay,
	// so callers wanting the default set HalfLife{Auto: true}.
	HalfLife HalfLife
	// HalfLifeGrid is searched when HalfLife.Auto (nil: DefaultHalfLifeGrid);
	// no decay is always tried too.
	HalfLifeGrid []float64
	// Transform is TransformCount (default), TransformLog1p or TransformYesNo.
	Transform string
	// Cap caps every action's value: > 0 fixed, < 0 none, 0 the default rule
	// (larger of DefaultMinCap and the 99th percentile of non-zero values).
	Cap float64
	// Attributes are profile attribute columns to use: one-hot features, or
	// numeric ones (see Numeric) when every filled value is a number;
	// "value:<action>" is the sum of the action's event values before the
	// snapshot's moment.
	Attributes []string
	// Numeric is how numeric attributes and value:<action> features enter:
	// NumericBins (default), NumericBinsRaw or NumericLinear.
	Numeric string
	// L2 is the ridge penalty (0: plain maximum likelihood).
	L2 float64
	// PDO is the points that double the odds (0: 10).
	PDO float64
	// TestShare is the share of mature leads held out for the test (0: 0.3).
	TestShare float64
	// Split is SplitTime (the newest leads are the test), SplitRandom (a
	// random share of leads, stratified by target) or "" (time when the
	// dates allow it, else random with a warning); see splitMature.
	Split string
	// Seed seeds the random split (0: DefaultSeed).
	Seed uint64
	// MinLeads is the fewest training leads a feature needs (0: 30).
	MinLeads int
	// Capacity (MQLs per month), Precision (target rate among MQLs) and
	// Value/Cost (per target reached / per MQL) choose the threshold; see
	// ChooseThreshold: Capacity or Precision when set, else the maximum
	// expected value per month with Value and Cost. When all four are 0 the
	// run uses Value 1 and Cost = the training target rate (defaultValueCost).
	Capacity, Precision, Value, Cost float64
	// Current is the model in use today, backtested against the proposed
	// one on the test period; nil skips the backtest. CurrentName labels it.
	Current     *Model
	CurrentName string
	// Workers for the fit (0: GOMAXPROCS).
	Workers int
	// ProfileSample caps the leads of the half-life search (0: DefaultProfileSample).
	ProfileSample int
	// MaxLeads caps the leads a run reads (0: DefaultMaxLeads; negative:
	// no cap). A store holding more leads is calibrated on every k-th lead
	// in load order, k = ⌈leads / MaxLeads⌉ (queries.FeatureParams.SampleEvery):
	// fit, test, threshold and backtest all work on that sample, per-month
	// figures are scaled up to every lead, and a warning says so.
	MaxLeads int
	// Progress, when not nil, receives one line per step.
	Progress func(msg string)
}

func (o *Options) fill() error {
	if o.Target == "" {
		o.Target = "won"
	}
	if o.Target != "won" && o.Target != "sql" {
		return fmt.Errorf("target %q: use won or sql", o.Target)
	}
	if o.ObserveDays == 0 {
		o.ObserveDays = DefaultObserveDays
	}
	if o.HorizonDays == 0 {
		o.HorizonDays = DefaultHorizonDays
	}
	if !(o.ObserveDays > 0) || !(o.HorizonDays > 0) {
		return fmt.Errorf("observation window %g days and horizon %g days must be positive", o.ObserveDays, o.HorizonDays)
	}
	if o.ObserveDays > o.HorizonDays {
		return fmt.Errorf("observation window %g days is longer than the horizon %g days", o.ObserveDays, o.HorizonDays)
	}
	if o.SalesStages == nil {
		o.SalesStages = DefaultSalesStages()
	}
	if o.MQLStages == nil {
		o.MQLStages = DefaultMQLStages()
	}
	if o.Landmarks == nil {
		o.Landmarks = DefaultLandmarks(o.ObserveDays)
	}
	if err := checkLandmarks(o.Landmarks, o.HorizonDays); err != nil {
		return err
	}
	if o.TargetStages == nil {
		o.TargetStages = DefaultTargetStages()
	}
	if o.HalfLifeGrid == nil {
		o.HalfLifeGrid = DefaultHalfLifeGrid()
	}
	if o.Transform == "" {
		o.Transform = TransformCount
	}
	if o.Transform != TransformCount && o.Transform != TransformLog1p && o.Transform != TransformYesNo {
		return fmt.Errorf("transform %q: use %s, %s or %s", o.Transform, TransformCount, TransformLog1p, TransformYesNo)
	}
	if o.Numeric == "" {
		o.Numeric = NumericBins
	}
	if o.Numeric != NumericBins && o.Numeric != NumericBinsRaw && o.Numeric != NumericLinear {
		return fmt.Errorf("numeric %q: use %s, %s or %s", o.Numeric, NumericBins, NumericBinsRaw, NumericLinear)
	}
	if o.PDO == 0 {
		o.PDO = DefaultPDO
	}
	if o.TestShare == 0 {
		o.TestShare = DefaultTestShare
	}
	if !(o.TestShare > 0 && o.TestShare < 1) {
		return fmt.Errorf("test share %g is not between 0 and 1", o.TestShare)
	}
	if o.Split != "" && o.Split != SplitTime && o.Split != SplitRandom {
		return fmt.Errorf("split %q: use %s or %s", o.Split, SplitTime, SplitRandom)
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.MinLeads == 0 {
		o.MinLeads = DefaultMinLeads
	}
	if o.ProfileSample == 0 {
		o.ProfileSample = DefaultProfileSample
	}
	if o.MaxLeads == 0 {
		o.MaxLeads = DefaultMaxLeads
	}
	if o.L2 < 0 {
		return fmt.Errorf("l2 penalty %g is negative", o.L2)
	}
	return nil
}

func (o *Options) progress(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

// Run calibrates a scoring model from the history in st. It takes landmark
// snapshots of every lead (the lead seen at ages o.Landmarks, while still in
// marketing's hands; see queries.FeatureParams), searches the decay
// half-life, fits one logistic regression over the snapshots of the older
// ~70% of mature leads with shared weights and one intercept per landmark
// (standard errors clustered by lead), validates it on the newest ~30% out
// of time (AUC within landmarks), turns the weights into points, chooses the
// threshold on the test period and, when o.Current is set, backtests the
// current model against the proposed one. The returned Model is the
// proposed model file; the weights are the training-period fit that the
// test metrics describe (no refit on all leads).
//
// Errors: ErrEmptyData when no mature lead is left to train on,
// ErrSingleClass when every training lead has the same outcome,
// *SeparationError (ErrSeparation) naming the feature that predicts the
// outcome perfectly, ErrUnknownFeature when o.Current names features the
// data lacks.
func Run(ctx context.Context, st *queries.Store, o Options) (*Result, *Model, error) {
	res, m, _, err := run(ctx, st, o)
	return res, m, err
}

// runState is what a run worked on, for tests that check it against a truth.
type runState struct {
	params      queries.FeatureParams
	leads       *Leads
	train, test []int
	actions     *ActionValues
	fit         *LogitFit
	design      *design
	pTest       []float64
}

func run(ctx context.Context, st *queries.Store, o Options) (*Result, *Model, *runState, error) {
	if err := o.fill(); err != nil {
		return nil, nil, nil, err
	}
	params := queries.FeatureParams{
		LandmarkDays: o.Landmarks, HorizonDays: o.HorizonDays, SalesStages: o.SalesStages,
		Target: o.Target, TargetStages: o.TargetStages, MQLStages: o.MQLStages,
	}
	sample, err := chooseSample(ctx, st, o.MaxLeads)
	if err != nil {
		return nil, nil, nil, err
	}
	params.SampleEvery = sample.every
	if sample.every > 1 {
		o.progress("reading the snapshots of 1 lead in every %d (%d of %d) at ages %s days", sample.every, sample.Sampled, sample.Total, daysList(o.Landmarks))
	} else {
		o.progress("reading the snapshots of every lead at ages %s days", daysList(o.Landmarks))
	}
	categorical, numeric, notes, err := splitAttributes(ctx, st, o.Attributes)
	if err != nil {
		return nil, nil, nil, err
	}
	l, err := loadLeads(ctx, st, params, categorical)
	if err != nil {
		return nil, nil, nil, err
	}
	res := newResult(o, l)
	sample.record(res)
	res.Options.NumericFeatures = append(res.Options.NumericFeatures, numeric...)
	res.NumericNotes = append(res.NumericNotes, notes...)
	res.Warnings = append(res.Warnings, notes...)
	mature, matureLeads := matureRows(l)
	if len(numeric) > 0 && len(mature) > 0 {
		if err := l.loadNumbers(ctx, st, params, numeric, l.Created[readUpTo(mature)-1]); err != nil {
			return nil, nil, nil, err
		}
	}
	res.Leads = LeadCounts{Total: l.NumLeads, Mature: matureLeads, Immature: l.NumLeads - matureLeads,
		SampleEvery: int(sample.every), InStore: int(sample.Total)}
	res.ExcludedImmature = res.Leads.Immature
	if len(mature) == 0 {
		return nil, nil, nil, fmt.Errorf("calibrate: %d leads, none with a closed %g-day outcome window: %w",
			l.NumLeads, o.HorizonDays, ErrEmptyData)
	}
	train, test, err := splitMature(res, &o, l, mature)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(train) == 0 {
		return nil, nil, nil, fmt.Errorf("calibrate: no training leads among %d mature leads: %w", matureLeads, ErrEmptyData)
	}
	if pos := countPositive(labels(l, train)); pos == 0 || pos == len(train) {
		return nil, nil, nil, fmt.Errorf("calibrate: %d training leads: %w", countLeads(l, train), ErrSingleClass)
	}
	train, test = dropEmptyLandmarks(res, l, train, test)
	if len(train) == 0 {
		return nil, nil, nil, fmt.Errorf("calibrate: no landmark holds %d training leads that reached the target: %w", minLandmarkPositives, ErrEmptyData)
	}
	res.Leads.Train, res.Leads.Test = countLeads(l, train), countLeads(l, test)
	setPeriods(res, l, train, test)
	sample.scaleMonths(res)
	dopts := designOptions{Transform: o.Transform, Cap: o.Cap, MinLeads: o.MinLeads, Numeric: o.Numeric}
	fo := FitOptions{L2: o.L2, Workers: o.Workers}

	o.progress("reading the actions of %d leads", countLeads(l, mature))
	ev, err := loadActionEvents(ctx, st, params, l, readUpTo(mature))
	if err != nil {
		return nil, nil, nil, err
	}
	av, halfLife, start, err := chooseHalfLife(ctx, ev, l, train, readUpTo(mature), &o, dopts, fo, res)
	if err != nil {
		return nil, nil, nil, err
	}
	dopts.HalfLife = halfLife
	res.Options.HalfLifeDays = halfLife

	o.progress("fitting %d training snapshots", len(train))
	d, warn := newDesign(l, av, train, nil, dopts)
	res.Warnings = append(res.Warnings, warn...)
	if excluded := findLeaks(l, av, train, d, o.Keep); len(excluded) > 0 {
		d = d.without(excluded)
		res.ExcludedFeatures = append(res.ExcludedFeatures, excluded...)
		for _, e := range excluded {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s left out as a possible leak: %s (use --keep %s to fit it anyway)", e.Feature, e.Detail, e.Feature))
		}
	}
	if d.features() == 0 {
		return nil, nil, nil, fmt.Errorf("calibrate: no feature has enough training leads (at least %d): %w", o.MinLeads, ErrEmptyData)
	}
	xTrain := d.matrix(l, av, train, nil)
	yTrain := labels(l, train)
	// The search's fit on a sample is close: Newton from there takes fewer steps.
	fo.Start = start
	fit, unique, err := fitSnapshots(ctx, l, d, xTrain, yTrain, train, halfLife, o.Transform, fo)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("calibrate: fit on %d training snapshots: %w", len(train), err)
	}
	res.Options.Covariance = string(fit.CovType)
	fillFit(res, fit, d, xTrain, yTrain, unique)
	fillLandmarks(res, fit, d, l, train)
	res.NumericBins = numericBinRows(d)

	o.progress("validating on %d test snapshots", len(test))
	xTest := d.matrix(l, av, test, nil)
	yTest := labels(l, test)
	pTrain := fit.PredictAll(xTrain)
	var pTest []float64
	if len(test) > 0 {
		pTest = fit.PredictAll(xTest)
	}
	if shift := checkDrift(res, yTrain, pTest, yTest); shift != 0 {
		fit = shiftIntercept(fit, shift)
		pTest = fit.PredictAll(xTest)
		res.Intercept = fit.Intercept
		for k := range res.Landmarks {
			res.Landmarks[k].Intercept += shift
		}
	}
	fillMetrics(res, l, train, test, pTrain, yTrain, pTest, yTest)
	res.Warnings = append(res.Warnings, sampleWarnings(res)...)

	model, testScores := choosePointsScale(res, fit, d, l, av, test, yTest)
	leadRows, leadScores := maxPerLead(l, test, testScores)
	countUnseen(res, d, l, leadRows)
	today := todayMQLs(res, l, leadRows)
	rule := ThresholdRule{Capacity: o.Capacity, Precision: o.Precision, Value: o.Value, Cost: o.Cost}
	if o.Capacity == 0 && o.Precision == 0 && o.Value == 0 && o.Cost == 0 {
		if today > 0 {
			rule.Volume = today
		} else {
			rule.Value, rule.Cost = defaultValueCost(yTrain)
			res.Options.Value, res.Options.Cost, res.Options.ValueCostDefault = rule.Value, rule.Cost, true
		}
	}
	if err := chooseModelThreshold(res, model, l, leadScores, leadRows, rule); err != nil {
		return nil, nil, nil, err
	}
	if o.Current != nil {
		if o.Current.Target != o.Target {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the current model %s predicts %q, this calibration %q: the backtest compares both on %q", o.CurrentName, o.Current.Target, o.Target, o.Target))
		}
		o.progress("backtesting the current model")
		bt, err := backtestCurrent(ctx, st, params, ev, o.Current, o.CurrentName, model, leadScores, l, test, leadRows, res.Options.TestMonths)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("current model %s: %w", o.CurrentName, err)
		}
		res.Backtest = bt
	}
	decide(res, l, leadRows, leadScores, res.Backtest)
	if n := zeroNonFinite(reflect.ValueOf(res).Elem()); n > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d figures could not be computed (too few leads) and are shown as 0", n))
	}
	return res, model, &runState{params: params, leads: l, train: train, test: test, actions: av, fit: fit, design: d, pTest: pTest}, nil
}

// fitSnapshots fits the design on the training snapshots, on weighted
// unique rows where that pays, and, when leads have several snapshots,
// replaces the covariance by the sandwich clustered by lead. It returns the
// fit and the number of rows it ran on.
func fitSnapshots(ctx context.Context, l *Leads, d *design, x *mat.Dense, y []float64, train []int,
	halfLife float64, transform string, fo FitOptions) (*LogitFit, int, error) {
	data := Data{Names: d.names, X: x, Y: y}
	var uniq []int32
	if halfLife == 0 || transform == TransformYesNo {
		data, uniq = compress(data)
	}
	fit, err := FitLogit(ctx, data, fo)
	if err != nil {
		return nil, 0, err
	}
	if len(d.landmarkDays) == 0 {
		return fit, len(data.Y), nil // one snapshot per lead: the model covariance holds
	}
	obs := Observations{Row: uniq, Cluster: make([]int32, len(train))}
	if obs.Row == nil {
		obs.Row = make([]int32, len(train))
		for r := range obs.Row {
			obs.Row[r] = int32(r)
		}
	}
	lead := int32(-1)
	for r, i := range train {
		if r == 0 || l.Seq[i] == 0 || l.Rows[i] != l.Rows[train[r-1]] {
			lead++
		}
		obs.Cluster[r] = lead
	}
	robust, err := ClusterRobust(ctx, fit, data, obs, ClusterOptions{Workers: fo.Workers})
	if err != nil {
		return nil, 0, fmt.Errorf("standard errors clustered by lead: %w", err)
	}
	return robust, len(data.Y), nil
}

// chooseHalfLife derives the action values from the events ev and picks
// the half-life: the user's, or the profile-likelihood maximum over the
// grid, fitted on a sample of training leads (every k-th lead in time
// order, at most ProfileSample of them); then the values of rows
// 0..upTo−1 are derived with the chosen half-life. The search's fit at
// that half-life is returned to start the final fit from (nil when no
// search ran).
func chooseHalfLife(ctx context.Context, ev *actionEvents, l *Leads, train []int,
	upTo int, o *Options, dopts designOptions, fo FitOptions, res *Result) (*ActionValues, float64, *LogitFit, error) {
	if !o.HalfLife.Auto || o.Transform == TransformYesNo {
		h := o.HalfLife.Days
		if o.Transform == TransformYesNo {
			if o.HalfLife.Auto || h > 0 {
				res.Warnings = append(res.Warnings, "yes/no action features are not decayed; half-life ignored")
			}
			h = 0
		}
		if h > 0 {
			res.Options.HalfLifeMode = "fixed"
		}
		return ev.values(l, h, nil, upTo), h, nil, nil
	}
	if len(ev.names) == 0 {
		res.Options.HalfLifeMode = "none"
		return ev.values(l, 0, nil, upTo), 0, nil, nil
	}
	grid := []float64{}
	for _, h := range o.HalfLifeGrid {
		if h > 0 {
			grid = append(grid, h)
		}
	}
	every := (len(train) + o.ProfileSample - 1) / o.ProfileSample
	rowOf := make([]int32, l.Len())
	for i := range rowOf {
		rowOf[i] = -1
	}
	var sample []int
	for _, i := range train {
		if i%every == 0 {
			rowOf[i] = int32(len(sample))
			sample = append(sample, i)
		}
	}
	res.Options.HalfLifeMode = "auto"
	o.progress("searching the half-life on %d training leads", len(sample))
	av := ev.gridValues(l, grid, rowOf, len(sample))
	curve, best, start, warn, err := profileHalfLife(ctx, l, av, sample, rowOf, append([]float64{0}, grid...), dopts, fo)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("calibrate: half-life search: %w", err)
	}
	res.HalfLifeCurve = curve
	res.Warnings = append(res.Warnings, warn...)
	if len(sample) < len(train) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the half-life was searched on %d of %d training leads (every %d-th in time)", len(sample), len(train), every))
	}
	return ev.values(l, best, nil, upTo), best, start, nil
}

// readUpTo is the number of leads, from the first in time order, whose
// actions a run reads: the mature leads, which are fitted and tested. They
// are a prefix of the order (a lead is mature when its outcome window closed
// before the data ends, so every older lead is mature too); were they not,
// every lead up to the last mature one would be read.
func readUpTo(mature []int) int {
	n := len(mature)
	if n > 0 && mature[n-1] != n-1 {
		return mature[n-1] + 1
	}
	return n
}

// defaultValueCost is the value of a target and the cost of an MQL when the
// user gives no threshold rule: a target is worth 1 and an MQL costs the
// training target rate, what an average lead is worth. The expected value
// of a threshold is then the targets it captures beyond what as many leads
// picked at random would give. When the test period's target rate equals
// the training rate, its maximum is the threshold with the largest gap
// between the share of targets and the share of other leads above it
// (Youden's J, the KS statistic): the threshold that separates best.
func defaultValueCost(y []float64) (value, cost float64) {
	sum := 0.0
	for _, v := range y {
		sum += v
	}
	return 1, sum / float64(len(y))
}

func labels(l *Leads, leads []int) []float64 {
	y := make([]float64, len(leads))
	for r, i := range leads {
		y[r] = l.Label[i]
	}
	return y
}

func newResult(o Options, l *Leads) *Result {
	return &Result{
		Target: o.Target,
		Options: ResultOptions{
			Target: o.Target, ObserveDays: o.ObserveDays, HorizonDays: o.HorizonDays,
			HalfLifeMode: "none", SalesStages: o.SalesStages, Transform: o.Transform,
			Attributes: append([]string{}, l.Attributes...), Numeric: o.Numeric, NumericFeatures: []string{}, L2: o.L2, PointsToDoubleOdds: o.PDO,
			TestShare: o.TestShare, Capacity: o.Capacity, Precision: o.Precision,
			Value: o.Value, Cost: o.Cost, DataEnd: l.DataEnd,
			Landmarks: []float64{}, LandmarksDropped: []float64{},
		},
		Coefficients:     []Coefficient{},
		Baselines:        map[string]string{},
		HalfLifeCurve:    []HalfLifePoint{},
		CalibrationCurve: []CalibrationPoint{},
		Gains:            []GainsPoint{},
		ROC:              []ROCPoint{},
		Tradeoff:         []TradeoffRow{},
		ScoreTable:       []ScoreRow{},
		Landmarks:        []LandmarkIntercept{},
		ExcludedFeatures: []ExcludedFeature{},
		UnseenLevels:     []UnseenLevel{},
		Warnings:         []string{},
		NumericNotes:     []string{},
		NumericBins:      []NumericBinRow{},
	}
}
