package calibrate

import "time"

// Result is everything one calibration run produced: the fitted weights with
// their inference, validation metrics on the out-of-time test period, the
// threshold and the curves behind it, and the backtest against the current
// model. It is plain data: reports render it and `funnel calibrate --json`
// writes it as calibration.json. The JSON keys are a stable contract
// (DESIGN.md, "Machine-readable outputs"); fields are only ever added.
//
// Probabilities and rates are in [0,1], durations in days, counts of leads
// are frequency-weighted counts (each lead counts once). Slices are never nil
// in a Result returned by Run, so they encode as [] rather than null.
type Result struct {
	// Target is what the model predicts: "won" (closed-won within the
	// horizon) or "sql" (reached SQL or a later stage within the horizon).
	Target string `json:"target"`
	// Options are the settings the run used, defaults filled in.
	Options ResultOptions `json:"options"`
	// Intercept is the fitted log-odds of the target for a lead with every
	// feature zero and the baseline channel and attribute levels.
	Intercept float64 `json:"intercept"`
	// InterceptSE is the intercept's standard error.
	InterceptSE float64 `json:"intercept_se"`
	// Coefficients has one entry per feature in the fitted model, in the
	// model's feature order (actions, then channels, then attributes).
	Coefficients []Coefficient `json:"coefficients"`
	// Baselines names the reference level of each one-hot group, keyed by
	// group: "channel" or "attr:<column>". A baseline has no coefficient;
	// the other levels' weights are relative to it.
	Baselines map[string]string `json:"baselines"`
	// Threshold is the chosen MQL threshold.
	Threshold Threshold `json:"threshold"`
	// Decision sets the proposed scoring beside today's on the test leads
	// (MQLs, targets captured, precision, recall, leads changing side).
	Decision Decision `json:"decision"`
	// Metrics are the validation figures (train and out-of-time test).
	Metrics Metrics `json:"metrics"`
	// Fit summarises the maximum-likelihood fit on the training period.
	Fit FitSummary `json:"fit"`
	// Leads counts the leads considered, by what happened to them.
	Leads LeadCounts `json:"leads"`
	// ExcludedImmature is the number of leads left out of fitting and
	// testing because their outcome window (created_at + horizon) had not
	// closed by the end of the data, including those that already reached
	// the target (keeping only early winners of open cohorts would inflate
	// their target rate).
	ExcludedImmature int `json:"excluded_immature"`
	// HalfLifeCurve is the profile log-likelihood on the training set for
	// each half-life tried (HalfLifeDays 0 = no decay). Empty when the
	// half-life was fixed by the user.
	HalfLifeCurve []HalfLifePoint `json:"half_life_curve"`
	// CalibrationCurve compares predicted and observed target rates by
	// decile of predicted probability on the test period.
	CalibrationCurve []CalibrationPoint `json:"calibration_curve"`
	// Gains is the cumulative gains / lift table on the test period, by
	// decile of score (highest first).
	Gains []GainsPoint `json:"gains"`
	// ROC is the receiver operating characteristic on the test period,
	// downsampled to at most 200 points, from (0,0) to (1,1).
	ROC []ROCPoint `json:"roc"`
	// Tradeoff is, for each candidate threshold in points, what scoring the
	// test period with the proposed model would have given.
	Tradeoff []TradeoffRow `json:"tradeoff"`
	// ScoreTable maps a score in points to the fitted probability of the
	// target, over the range of scores seen in the test period.
	ScoreTable []ScoreRow `json:"score_table"`
	// Backtest compares the current model file (--current) with the
	// proposed model on the test period; nil when no current model was given.
	Backtest *Backtest `json:"backtest,omitempty"`
	// Landmarks are the landmark snapshots the fit pooled, each with its own
	// intercept (the log-odds of the target for a baseline lead at that age).
	Landmarks []LandmarkIntercept `json:"landmarks"`
	// UnseenLevels count, per channel or attribute group, the test leads
	// with a value the fit never saw; they score as the baseline.
	UnseenLevels []UnseenLevel `json:"unseen_levels"`
	// ExcludedFeatures are features left out of the fit, with the reason
	// (e.g. "possible_leak"); --keep puts one back.
	ExcludedFeatures []ExcludedFeature `json:"excluded_features"`
	// Warnings are plain-language notes a reviewer should read: small
	// samples, features dropped as rare or constant, separation, a
	// half-life at the edge of its grid.
	Warnings []string `json:"warnings"`
	// NumericNotes say which --attrs columns look numeric but hold text
	// and so stay categorical (each also in Warnings).
	NumericNotes []string `json:"numeric_notes"`
	// NumericBins are the bins of binned numeric features with their
	// training counts and target rates (see NumericBinRow).
	NumericBins []NumericBinRow `json:"numeric_bins"`
}

// LandmarkIntercept is one landmark of a pooled fit.
type LandmarkIntercept struct {
	// Days is the lead age of the landmark.
	Days float64 `json:"days"`
	// Intercept is the fitted log-odds for a baseline lead with no actions
	// at that age, and SE its standard error.
	Intercept float64 `json:"intercept"`
	SE        float64 `json:"se"`
	// Snapshots and Positives count the training snapshots of the landmark
	// and those whose lead reached the target.
	Snapshots int `json:"snapshots"`
	Positives int `json:"positives"`
}

// ExcludedFeature is a feature left out of the fit.
type ExcludedFeature struct {
	// Feature is the feature or feature group: "action:<name>",
	// "channel" or "attr:<column>".
	Feature string `json:"feature"`
	// Reason is "possible_leak".
	Reason string `json:"reason"`
	// Detail says in plain words what was found.
	Detail string `json:"detail"`
}

// LandmarkMetrics are the test-period figures of one landmark.
type LandmarkMetrics struct {
	// Days is the lead age of the landmark.
	Days float64 `json:"days"`
	// Snapshots and Positives count its test snapshots and those whose lead
	// reached the target.
	Snapshots int `json:"snapshots"`
	Positives int `json:"positives"`
	// AUC is the test AUC among the landmark's snapshots, with its 95%
	// DeLong interval; 0 when one outcome is missing.
	AUC       float64 `json:"auc"`
	AUCCILow  float64 `json:"auc_ci_low"`
	AUCCIHigh float64 `json:"auc_ci_high"`
}

// ResultOptions records the settings a calibration used.
type ResultOptions struct {
	// Target is "won" or "sql".
	Target string `json:"target"`
	// ObserveDays bounds the default landmarks: the latest landmark age.
	ObserveDays float64 `json:"observe_days"`
	// Landmarks are the lead ages in days at which snapshots were fitted
	// (after dropping those with too few targets); LandmarksDropped the
	// ages asked for and left out, with the reason in Warnings.
	Landmarks        []float64 `json:"landmarks"`
	LandmarksDropped []float64 `json:"landmarks_dropped"`
	// Covariance is how standard errors were computed: "model" (the
	// inverse information, one snapshot per lead) or "cluster_lead"
	// (sandwich, clustered by lead, for several snapshots per lead).
	Covariance string `json:"covariance"`
	// InterceptRecalibrated is the shift added to every intercept after
	// the test period showed drift (0 when none); see Warnings.
	InterceptRecalibrated float64 `json:"intercept_recalibrated"`
	// HorizonDays is the outcome window: the target counts when it happened
	// within HorizonDays of the lead's creation.
	HorizonDays float64 `json:"horizon_days"`
	// HalfLifeDays is the decay half-life used for action features; 0
	// means no decay (plain counts).
	HalfLifeDays float64 `json:"half_life_days"`
	// HalfLifeMode is how the half-life was set: "auto" (profile
	// likelihood over a grid), "none" or "fixed".
	HalfLifeMode string `json:"half_life_mode"`
	// SalesStages are the sales-owned stage names: a lead has snapshots only
	// before its first entry into one of them (or its first outcome).
	SalesStages []string `json:"sales_stages"`
	// Transform is how action counts enter the model: "count" (capped),
	// "log1p" or "yesno".
	Transform string `json:"transform"`
	// Attributes are the profile attribute columns used as one-hot features.
	Attributes []string `json:"attributes"`
	// Numeric is how numeric features enter: "bins" (monotone quantile
	// bins), "bins-raw" (quantile bins) or "linear" (points per unit).
	Numeric string `json:"numeric"`
	// NumericFeatures are the numeric features asked for: numeric attribute
	// columns ("attr:<column>") and event value sums ("value:<action>").
	NumericFeatures []string `json:"numeric_features"`
	// L2 is the ridge penalty used in the fit; 0 is plain maximum likelihood.
	L2 float64 `json:"l2"`
	// PointsToDoubleOdds is the scorecard scale: this many points double the odds.
	PointsToDoubleOdds float64 `json:"points_to_double_odds"`
	// TestShare is the share of mature leads held out as the test period.
	TestShare float64 `json:"test_share"`
	// Split is how they were held out: "time" (the newest by created_at,
	// out of time) or "random" (a random share of leads, stratified by
	// target, drawn with Seed).
	Split string `json:"split"`
	// Seed is the seed of the random split (recorded with either split, so
	// a run can be repeated with --split random --seed).
	Seed uint64 `json:"seed"`
	// ThresholdRule is how the threshold was chosen: "capacity",
	// "precision" or "expected_value".
	ThresholdRule string `json:"threshold_rule"`
	// Capacity is the MQLs per month sales can handle (rule "capacity"); 0 when unused.
	Capacity float64 `json:"capacity,omitempty"`
	// Precision is the target MQL→target rate (rule "precision"); 0 when unused.
	Precision float64 `json:"precision,omitempty"`
	// Value is the value of one target reached (e.g. average deal size).
	Value float64 `json:"value"`
	// Cost is the cost of one sales touch (one MQL handed to sales).
	Cost float64 `json:"cost"`
	// ValueCostDefault is true when no rule was given and Value and Cost
	// are the default: 1 per target and the training target rate per MQL.
	ValueCostDefault bool `json:"value_cost_default"`
	// DataEnd is the latest timestamp in the data (leads, events, stages,
	// outcomes); maturity is judged against it.
	DataEnd time.Time `json:"data_end"`
	// TrainFrom and TrainTo bound the creation times of the training leads.
	TrainFrom time.Time `json:"train_from"`
	TrainTo   time.Time `json:"train_to"`
	// TestFrom and TestTo bound the creation times of the test leads
	// (undated leads left out; zero when no test lead is dated).
	TestFrom time.Time `json:"test_from"`
	TestTo   time.Time `json:"test_to"`
	// TestMonths is the length of the test period in months (days/30.4375),
	// the divisor for MQLs per month; with the random split, the months the
	// mature leads span times the test leads' share of them; 0 when no test
	// lead is dated (per-month figures are then totals).
	// With a sample of the leads (LeadCounts.SampleEvery > 1) the months
	// count as the sample's share of every lead too.
	TestMonths float64 `json:"test_months"`
	// MaxLeads is the cap on the leads a run reads (Options.MaxLeads;
	// negative: none).
	MaxLeads int `json:"max_leads"`
	// RefitOnAll is true when the final weights were refitted on train and
	// test together after validation; false means the weights are the
	// training-period fit that the test metrics describe.
	RefitOnAll bool `json:"refit_on_all"`
}

// Coefficient is one feature's fitted weight with its inference. Weight is
// the logit coefficient: exp(Weight) multiplies the odds of the target per
// unit of the feature (one more capped action, or being in that level
// rather than the baseline).
type Coefficient struct {
	// Feature is "action:<name>", "channel:<name>" or "attr:<column>=<value>".
	Feature string `json:"feature"`
	// Weight is the fitted logit coefficient.
	Weight float64 `json:"weight"`
	// SE is the standard error of Weight (from the inverse Fisher information).
	SE float64 `json:"se"`
	// CILow and CIHigh bound the 95% Wald confidence interval Weight ± 1.96·SE.
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	// PValue is the two-sided Wald p-value for Weight = 0.
	PValue float64 `json:"p_value"`
	// Points is the weight in score points: round(Weight·PDO/ln 2).
	Points int `json:"points"`
	// PointsLow and PointsHigh are CILow and CIHigh in score points, rounded
	// the same way: the 95% interval of the points.
	PointsLow  int `json:"points_low"`
	PointsHigh int `json:"points_high"`
	// Z is the Wald statistic Weight/SE.
	Z float64 `json:"z"`
	// OddsRatio is exp(Weight).
	OddsRatio float64 `json:"odds_ratio"`
	// Cap is, for an action, the count above which further events add
	// nothing (0: no cap); unused for other features.
	Cap float64 `json:"cap,omitempty"`
	// Prevalence is the share of training leads with a non-zero value.
	Prevalence float64 `json:"prevalence"`
	// Mean is the training-set mean of the feature as it entered the fit.
	Mean float64 `json:"mean"`
}

// Threshold is the chosen MQL threshold: a lead with a score ≥ Points is an MQL.
type Threshold struct {
	// Points is the score threshold.
	Points int `json:"points"`
	// Probability is the fitted probability of the target at exactly Points.
	Probability float64 `json:"probability"`
	// Rule is how it was chosen: "capacity", "precision" or "expected_value".
	Rule string `json:"rule"`
	// MQLsPerMonth, Precision, Recall and ExpectedValue are what the
	// threshold gave on the test period (see TradeoffRow).
	MQLsPerMonth  float64 `json:"mqls_per_month"`
	Precision     float64 `json:"precision"`
	Recall        float64 `json:"recall"`
	ExpectedValue float64 `json:"expected_value"`
	// TodayMQLsPerMonth and TodayPrecision are what the team's own MQL stage
	// gave the same test leads: those that entered an MQL stage, per month,
	// and the target rate among them (0 when the data has no MQL stage).
	TodayMQLsPerMonth float64 `json:"today_mqls_per_month"`
	TodayPrecision    float64 `json:"today_precision"`
}

// Metrics are validation figures. "test" figures are on the out-of-time
// test period (the newest leads), with the model fitted on the training period.
type Metrics struct {
	// AUCTrain and AUCTest are areas under the ROC curve.
	AUCTrain float64 `json:"auc_train"`
	AUCTest  float64 `json:"auc_test"`
	// AUCTestCILow and AUCTestCIHigh bound the 95% DeLong confidence
	// interval of AUCTest.
	AUCTestCILow  float64 `json:"auc_test_ci_low"`
	AUCTestCIHigh float64 `json:"auc_test_ci_high"`
	// AUCTestPoints is AUCTest of the integer scores of the model file
	// (weights rounded to points), beside the model's own; when rounding
	// cost more than 0.005 a finer points scale was chosen (see Warnings).
	AUCTestPoints float64 `json:"auc_test_points"`
	// Brier is the mean squared error of the predicted probability on the test period.
	Brier float64 `json:"brier"`
	// LogLoss is the mean negative log-likelihood per lead on the test period (nats).
	LogLoss float64 `json:"log_loss"`
	// NTrain and NTest are the numbers of snapshots in each period (a lead
	// has one per landmark it reached before being handed to sales).
	NTrain int `json:"n_train"`
	NTest  int `json:"n_test"`
	// PositivesTrain and PositivesTest count leads that reached the target.
	PositivesTrain int `json:"positives_train"`
	PositivesTest  int `json:"positives_test"`
	// BaseRateTest is PositivesTest/NTest, the rate a model without features predicts.
	BaseRateTest float64 `json:"base_rate_test"`
	// ByLandmark has the test figures of each landmark; AUCTest compares
	// only snapshots of the same landmark (pairs within a landmark).
	ByLandmark []LandmarkMetrics `json:"by_landmark"`
	// TestRateRatio is the test period's target rate over the training
	// period's (per snapshot); CalibrationZ is (observed − expected targets)
	// / sd on the test period, calibration-in-the-large.
	TestRateRatio float64 `json:"test_rate_ratio"`
	CalibrationZ  float64 `json:"calibration_z"`
}

// FitSummary describes the maximum-likelihood fit.
type FitSummary struct {
	// LogLik is the maximised log-likelihood; LogLikNull that of the
	// intercept-only model on the same leads.
	LogLik     float64 `json:"log_lik"`
	LogLikNull float64 `json:"log_lik_null"`
	// PseudoR2 is McFadden's 1 − LogLik/LogLikNull.
	PseudoR2 float64 `json:"pseudo_r2"`
	// Iterations is the number of Newton steps taken.
	Iterations int `json:"iterations"`
	// Converged reports whether the fit met its tolerance.
	Converged bool `json:"converged"`
	// N is the number of training leads.
	N int `json:"n"`
	// UniqueRows is the number of distinct feature rows the fit ran on
	// after compressing identical rows (equal to N when not compressed).
	UniqueRows int `json:"unique_rows"`
}

// LeadCounts says how many leads the run saw and where they went.
type LeadCounts struct {
	// Total is every lead in the store.
	Total int `json:"total"`
	// Mature leads have a closed outcome window; they are split into train and test.
	Mature int `json:"mature"`
	// Immature leads were left out (see Result.ExcludedImmature).
	Immature int `json:"immature"`
	// Train and Test are the mature leads in each period.
	Train int `json:"train"`
	Test  int `json:"test"`
	// SampleEvery is k when the run read every k-th lead in load order
	// because the store holds more than Options.MaxLeads (the counts above
	// are then of that sample); 1 when it read every lead.
	SampleEvery int `json:"sample_every"`
	// InStore is every lead in the store, read or not.
	InStore int `json:"in_store"`
}

// HalfLifePoint is one point of the half-life profile likelihood.
type HalfLifePoint struct {
	// HalfLifeDays is the half-life tried; 0 means no decay.
	HalfLifeDays float64 `json:"half_life_days"`
	// LogLik is the maximised training log-likelihood with that half-life.
	LogLik float64 `json:"log_lik"`
	// Chosen marks the half-life the run used.
	Chosen bool `json:"chosen"`
}

// CalibrationPoint is one bin of the calibration curve.
type CalibrationPoint struct {
	// Predicted is the mean predicted probability in the bin.
	Predicted float64 `json:"predicted"`
	// Observed is the observed target rate in the bin.
	Observed float64 `json:"observed"`
	// N is the number of leads in the bin.
	N float64 `json:"n"`
}

// GainsPoint is one row of the cumulative gains table: leads sorted by
// score, highest first, cut into bins.
type GainsPoint struct {
	// LeadShare is the cumulative share of leads up to this bin.
	LeadShare float64 `json:"lead_share"`
	// TargetShare is the cumulative share of all targets captured.
	TargetShare float64 `json:"target_share"`
	// Lift is TargetShare/LeadShare.
	Lift float64 `json:"lift"`
	// Rate is the target rate within the bin.
	Rate float64 `json:"rate"`
}

// ROCPoint is one point of the ROC curve.
type ROCPoint struct {
	// FPR is the false positive rate (share of non-targets at or above a
	// cut), TPR the true positive rate (share of targets), both in [0,1].
	FPR float64 `json:"fpr"`
	TPR float64 `json:"tpr"`
}

// TradeoffRow is what a threshold would have given on the test period.
type TradeoffRow struct {
	// Points is the threshold: MQL when score ≥ Points.
	Points int `json:"points"`
	// Probability is the fitted probability at a score of Points.
	Probability float64 `json:"probability"`
	// MQLsPerMonth is the number of test leads at or above the threshold
	// divided by the test period's length in months.
	MQLsPerMonth float64 `json:"mqls_per_month"`
	// Precision is the target rate among those MQLs; Recall the share of
	// all test targets they include.
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	// ExpectedValue is per month: targets captured·Value − MQLs·Cost, divided by months.
	ExpectedValue float64 `json:"expected_value"`
}

// ScoreRow maps a score to its fitted probability: 1/(1+exp(−(intercept +
// score·ln2/PDO))).
type ScoreRow struct {
	// Points is a score; Probability the fitted probability of the target at it.
	Points      int     `json:"points"`
	Probability float64 `json:"probability"`
	// Leads is how many test leads had exactly this score.
	Leads int `json:"leads"`
}

// Backtest compares the current and the proposed model on the test period.
// Both score the same leak-free features; a lead is an MQL under a model
// when its score is at least that model's threshold.
type Backtest struct {
	// CurrentModel and ProposedModel name the model files (path or "proposed").
	CurrentModel  string `json:"current_model"`
	ProposedModel string `json:"proposed_model"`
	// Current and Proposed are totals over the test period.
	Current  BacktestTotals `json:"current"`
	Proposed BacktestTotals `json:"proposed"`
	// Months breaks the test period down by month of lead creation.
	Months []BacktestMonth `json:"months"`
	// Changed counts the leads that change side between the models.
	Changed ChangedSide `json:"changed"`
}

// BacktestTotals is one model's result over a period.
type BacktestTotals struct {
	// Threshold is the model's MQL threshold in its own points.
	Threshold int `json:"threshold"`
	// MQLs is the number of leads at or above the threshold.
	MQLs int `json:"mqls"`
	// MQLsPerMonth is MQLs divided by the period's months.
	MQLsPerMonth float64 `json:"mqls_per_month"`
	// WinsCaptured is the number of MQLs that reached the target.
	WinsCaptured int `json:"wins_captured"`
	// Precision is WinsCaptured/MQLs; Recall is WinsCaptured/all targets.
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// BacktestMonth is both models' result for the leads created in one month.
type BacktestMonth struct {
	// Month is YYYY-MM of lead creation.
	Month string `json:"month"`
	// Leads and Wins count the month's test leads and those reaching the target.
	Leads int `json:"leads"`
	Wins  int `json:"wins"`
	// Current and Proposed are each model's result for the month; their
	// MQLsPerMonth is the month's MQL count.
	Current  BacktestTotals `json:"current"`
	Proposed BacktestTotals `json:"proposed"`
}

// ChangedSide counts leads whose MQL status differs between the models.
type ChangedSide struct {
	// NewMQLs are MQLs under the proposed model only; NewMQLWins of them reached the target.
	NewMQLs    int `json:"new_mqls"`
	NewMQLWins int `json:"new_mql_wins"`
	// DroppedMQLs are MQLs under the current model only; DroppedMQLWins of them reached the target.
	DroppedMQLs    int `json:"dropped_mqls"`
	DroppedMQLWins int `json:"dropped_mql_wins"`
	// Sample lists up to 20 changed leads of each direction, for review.
	Sample []ChangedLead `json:"sample"`
}

// ChangedLead is one lead that changes side.
type ChangedLead struct {
	// LeadID is the lead; CurrentScore and ProposedScore its score under
	// each model, in that model's points.
	LeadID        string `json:"lead_id"`
	CurrentScore  int    `json:"current_score"`
	ProposedScore int    `json:"proposed_score"`
	// CurrentMQL and ProposedMQL are the lead's MQL status under each model.
	CurrentMQL  bool `json:"current_mql"`
	ProposedMQL bool `json:"proposed_mql"`
	// Won is whether the lead reached the target.
	Won bool `json:"won"`
}
