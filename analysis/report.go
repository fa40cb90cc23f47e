package analysis

import "time"

// Report is the whole funnel report: every table `funnel report` shows, as
// plain Go values. Its JSON form (the json tags and the MarshalJSON methods of
// the row types) is the stable report.json contract of DESIGN.md.
//
// Definitions used throughout:
//
//   - The funnel is Stages, in order (configuration, see StageModel). Every
//     lead reached the first stage when it was created. The last stage is
//     reached by a won outcome (outcomes.outcome = 'won', at closed_at) or
//     by a stage row of that name. Any other stage is reached by a stage row.
//   - A lead REACHED a stage if it entered it or any later funnel stage: a
//     referral entering at sql counts in mql and sal too. Such a stage is
//     reached by implication ("skipped"); its time is the earliest entry
//     into any later stage. A lead entering a stage several times (an MQL
//     that was recycled and came back) counts once, at its first entry.
//   - Stage names outside the funnel (recycled, nurture, disqualified) are
//     tracked (Recycling, DataQuality) but are no funnel steps.
//   - Counts (the flat per-stage keys of a row) are distinct leads that
//     reached each stage at any time up to DataEnd, with no window.
//   - Conversion is cohort-based and windowed: a lead converted to a stage if
//     it reached it within WindowDays days of its creation. A lead is mature
//     when created at least WindowDays before DataEnd, so its window has
//     closed; immature leads that have not won and have no outcome are open:
//     their result is not known yet and they are never counted as lost (see
//     Funnel for the denominators).
//   - Rows are built from leads with a row in the leads table; stage rows,
//     events and outcomes of unknown leads are orphans (DataQuality) and left
//     out.
type Report struct {
	// Stages is the funnel, in order; every row's counts are keyed by these
	// names.
	Stages []string `json:"stages"`
	// Qualified is the stage at which marketing hands a lead to sales (mql
	// by default): ByAction looks at leads not yet past it at the landmark
	// age, and Recycling follows leads re-entering it.
	Qualified string `json:"qualified_stage"`
	// DataEnd is the latest timestamp in the data (lead creation, event,
	// stage entry or outcome); "now" for maturity and open leads.
	DataEnd time.Time `json:"data_end"`
	// WindowDays is the conversion window in days.
	WindowDays int `json:"window_days"`
	// WindowFromData is true when WindowDays was not given but taken from
	// the data: the 90th percentile of days from creation to win over won
	// leads, rounded up (90 when no lead has won).
	WindowFromData bool `json:"window_from_data"`
	// From and To are the first and last cohort months (YYYY-MM) included;
	// empty means unbounded.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`

	// KeySteps are the step rates every breakdown compares (and every
	// funnel row carries in Steps): first→second stage (lead→mql),
	// Qualified→"sql" when the funnel has a stage named sql after the
	// qualified one, and Qualified→last stage (mql→won).
	KeySteps []Step `json:"key_steps"`
	// References are the published rules of thumb for steps of this
	// funnel (see Reference); empty when none of its steps has one.
	References []Reference `json:"references"`
	// SLAReferenceDays is the response time the speed-to-lead view is held
	// against when the team gives none (SLAReferenceDays).
	SLAReferenceDays float64 `json:"sla_reference_days"`
	// Headline is the latest calendar month's stage entries compared with
	// the month before and the year before; nil when Period is empty.
	Headline *Headline `json:"headline,omitempty"`

	// Total is the funnel of all included leads.
	Total Funnel `json:"total"`
	// ByChannel has one row per lead channel, by channel name.
	ByChannel []ChannelRow `json:"by_channel"`
	// ActionLandmarkDays is the landmark age L, in days, at which ByAction
	// looks at leads: every lead is looked at created_at + L days.
	ActionLandmarkDays int `json:"action_landmark_days"`
	// ActionLandmarkFromData is true when ActionLandmarkDays was not given
	// but taken from the data: the median of days from creation to first
	// reaching Qualified over the leads of the store that reached it (not
	// before their creation), rounded to a whole day (halves up), at least
	// 1 (DefaultLandmarkDays when no lead reached it).
	ActionLandmarkFromData bool `json:"action_landmark_from_data"`
	// ActionPopulation is the funnel of the leads ByAction compares: the
	// included leads whose landmark (created_at + ActionLandmarkDays) is
	// not after DataEnd and that had not reached Qualified, nor any later
	// funnel stage, before it. Leads already qualified at that age are left
	// out: their sale is already under way, and the actions they did later
	// would explain nothing a live score could use.
	ActionPopulation Funnel `json:"action_population"`
	// ByAction has one row per action done by at least one lead of
	// ActionPopulation strictly before its landmark, by action name: the
	// funnel of those leads, with the lift of having done it against the
	// leads of the population that had not. The cut-off is the same age
	// for every lead, so it cannot depend on the outcome (a cut-off at
	// first qualification gives winners, who qualify sooner, short windows,
	// and steady harmless activity then looks harmful).
	ByAction []ActionRow `json:"by_action"`
	// ActionsOmitted counts actions left out of ByAction because only the
	// 64 most frequent actions are tracked per lead; normally 0.
	ActionsOmitted int `json:"actions_omitted"`
	// ByMonth has one row per cohort month of lead creation, oldest first,
	// then, when the report covers every month and some leads have no
	// created_at (a flat export), one row with Month UndatedMonth.
	ByMonth []MonthRow `json:"by_month"`
	// ByAttribute is the breakdown by one profile attribute (--by); nil
	// when none was asked for.
	ByAttribute *AttributeBreakdown `json:"by_attribute,omitempty"`
	// Period counts stage entries in the calendar month they happened,
	// oldest first (what a booking report shows).
	Period []PeriodRow `json:"period"`
	// Comparison compares one cohort month's conversion with the month
	// before and the same month a year before; nil when there is no month.
	Comparison *Comparison `json:"comparison,omitempty"`
	// TimeInStage gives the days between stages, overall and by channel.
	TimeInStage TimeInStage `json:"time_in_stage"`
	// Recycling follows qualified leads sent back to nurture.
	Recycling Recycling `json:"recycling"`
	// DataQuality summarises what the data got wrong or left implicit, over
	// the whole store (From and To do not restrict it).
	DataQuality DataQuality `json:"data_quality"`
}

// StageCount is a number of distinct leads at one funnel stage.
type StageCount struct {
	Stage string `json:"stage"`
	Leads int64  `json:"leads"`
}

// StageCounts is one number per stage, in funnel order. Its JSON form is an
// object keyed by stage name, in funnel order: {"lead": 10, "mql": 4, …}.
type StageCounts []StageCount

// Funnel is the funnel of one group of leads (a channel, an action, a cohort
// month, an attribute value, or all of them).
//
// Denominators of the windowed rates: the group's mature leads
// (MatureLeads) when it has any, since their window has closed and their
// result is known; a group with no mature lead (a young cohort) uses all its
// leads, and its rates are then conversion so far, a lower bound, to be read
// with OpenShare. Immature leads are never counted as lost: they leave the
// denominator when the group has mature leads.
type Funnel struct {
	// Reached counts, for each funnel stage, the distinct leads of the group
	// that reached it at any time up to DataEnd (no window). Reached[0] is
	// the number of leads in the group. Serialised as flat keys named as the
	// stages.
	Reached StageCounts
	// MatureLeads counts the group's leads created at least WindowDays
	// before DataEnd.
	MatureLeads int64
	// OpenLeads counts the group's immature leads that have not won and have
	// no outcome yet.
	OpenLeads int64
	// OpenShare is OpenLeads / Reached[0], in [0,1]; 0 for an empty group.
	OpenShare float64
	// Immature is true when some lead of the group is immature (its window
	// has not closed by DataEnd).
	Immature bool
	// Base is the denominator of the rates: MatureLeads, or the number of
	// leads when MatureLeads is 0.
	Base int64
	// Conversion has one entry per funnel stage after the first: leads of
	// the base that reached the stage within the window, as a share of the
	// base (from lead) and of those that reached the previous stage within
	// the window (next step).
	Conversion []StageConversion
	// Steps are the rates of Report.KeySteps over the base, with numerator
	// and denominator: the rates the breakdowns show.
	Steps []StepRate
}

// StageConversion is the windowed conversion into one funnel stage.
type StageConversion struct {
	// Stage is the stage converted into.
	Stage string `json:"stage"`
	// Converted counts the leads of the base that reached Stage within
	// WindowDays of their creation.
	Converted int64 `json:"converted"`
	// FromLead is Converted / Base with its 95% Wilson interval.
	FromLead Proportion `json:"from_lead"`
	// FromPrevious is Converted / (converted of the previous stage): the
	// next-step rate, with its 95% Wilson interval.
	FromPrevious Proportion `json:"from_previous"`
}

// Proportion is Num successes out of Den trials with a 95% Wilson score
// interval (see Wilson). Den 0 means no data: Rate is 0 and the interval is
// [0,1].
type Proportion struct {
	Num  int64   `json:"num"`
	Den  int64   `json:"den"`
	Rate float64 `json:"rate"`
	Low  float64 `json:"ci_low"`
	High float64 `json:"ci_high"`
}

// ChannelRow is the funnel of the leads of one channel. JSON: {"channel":
// …, <stage>: count …, "mature_leads", "open_leads", "open_share",
// "immature", "base", "conversion"}.
type ChannelRow struct {
	Channel string
	Funnel
}

// ActionRow is the funnel of the leads of Report.ActionPopulation that did
// one action strictly before their landmark age. JSON as ChannelRow with
// "action", plus "lift".
type ActionRow struct {
	Action string
	Funnel
	// Lift compares, for the qualified stage and each later stage, the
	// windowed conversion of the leads who did the action with that of the
	// leads of the population who did not.
	Lift []Lift
	// Adjusted is a calibration's effect of the action (see AttachAdjusted);
	// nil when none was given or it did not fit the action.
	Adjusted *AdjustedEffect
}

// Lift is the difference doing an action makes to converting into Stage
// within the window (from lead, over each side's base as in Funnel).
type Lift struct {
	Stage string `json:"stage"`
	// With is the conversion of the leads who did the action.
	With Proportion `json:"with"`
	// Without is the conversion of the leads who did not.
	Without Proportion `json:"without"`
	// Ratio is With.Rate / Without.Rate; nil when Without.Rate is 0.
	Ratio *float64 `json:"ratio"`
	// RatioLow and RatioHigh are the 95% confidence interval of Ratio by
	// the Katz log method (see RateRatioCI); nil when either side has no
	// conversion.
	RatioLow  *float64 `json:"ratio_ci_low"`
	RatioHigh *float64 `json:"ratio_ci_high"`
	// PValue is the two-sided p-value of the two-proportion z-test of
	// With against Without (see TwoProportionZTest); nil when a side is
	// empty or both rates are 0 or 1.
	PValue *float64 `json:"p_value"`
}

// MonthRow is the funnel of one cohort: the leads created in Month
// (YYYY-MM). JSON as ChannelRow with "month".
type MonthRow struct {
	Month string
	Funnel
}

// AttributeBreakdown is the funnel by the values of one profile attribute.
type AttributeBreakdown struct {
	// Attribute is the attribute's name (lead_attributes.name).
	Attribute string `json:"attribute"`
	// Rows has one row per value, by value; leads without the attribute
	// are in the row with an empty Value.
	Rows []AttributeRow `json:"rows"`
}

// AttributeRow is the funnel of the leads with one value of an attribute.
// JSON as ChannelRow with "value".
type AttributeRow struct {
	Value string
	Funnel
}

// PeriodRow counts stage entries in one calendar month (YYYY-MM): for each
// funnel stage, the distinct leads that entered it in that month (the first
// stage: leads created; the last stage: won outcomes closed). A lead
// re-entering a stage in another month counts again in that month; stages
// reached only by implication are not entries. JSON: {"month": …,
// <stage>: count …}.
type PeriodRow struct {
	Month   string
	Entries StageCounts
	// Partial is true when the data does not cover the whole month: the
	// last month when DataEnd is before its last day, the first when the
	// earliest lead was created after its first day. Its counts are not
	// comparable with whole months.
	Partial bool
}

// Comparison compares the windowed conversion of cohort Month with the
// cohort a month before and a year before.
type Comparison struct {
	// Month is the compared cohort month (YYYY-MM): --month, by default the
	// latest cohort month in which every lead is mature.
	Month string `json:"month"`
	// Immature is true when Month has leads whose window has not closed.
	Immature bool `json:"immature"`
	// PreviousMonth and YearAgoMonth are the months compared with.
	PreviousMonth string `json:"previous_month"`
	YearAgoMonth  string `json:"year_ago_month"`
	// Rates are the compared step rates, one per Report.KeySteps.
	Rates []RateChange `json:"rates"`
}

// RateChange is one step rate From→To in three cohorts: leads of the
// cohort's base (see Funnel) that reached To within the window, over those
// that reached From within the window.
type RateChange struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Current is the rate in the compared month.
	Current Proportion `json:"current"`
	// Previous and YearAgo are the rates in the month before and a year
	// before; nil when the data has no such cohort.
	Previous *Proportion `json:"previous"`
	YearAgo  *Proportion `json:"year_ago"`
	// PreviousDiff and YearAgoDiff are Current.Rate − Previous.Rate and
	// Current.Rate − YearAgo.Rate, in [−1,1] (0.05 is 5 percentage
	// points); nil when that cohort is missing.
	PreviousDiff *float64 `json:"previous_diff"`
	YearAgoDiff  *float64 `json:"year_ago_diff"`
	// PreviousPValue and YearAgoPValue are two-sided p-values of the
	// two-proportion z-test of Current against Previous / YearAgo; nil when
	// not computable.
	PreviousPValue *float64 `json:"previous_p_value"`
	YearAgoPValue  *float64 `json:"year_ago_p_value"`
}

// TimeInStage is the time leads took between stages.
type TimeInStage struct {
	// Overall has one entry per span, over all included leads.
	Overall []Durations `json:"overall"`
	// ByChannel has one entry per channel (by name) and span.
	ByChannel []ChannelDurations `json:"by_channel"`
}

// Durations summarises the days from first entering From to first entering
// To, over leads with an explicit entry into both (stages reached only by
// implication have no time of their own) and To not before From.
// Quantiles are DuckDB's quantile_cont (linear interpolation); all 0 when
// Leads is 0.
type Durations struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Leads  int64   `json:"leads"`
	Median float64 `json:"median_days"`
	P25    float64 `json:"p25_days"`
	P75    float64 `json:"p75_days"`
	P90    float64 `json:"p90_days"`
}

// ChannelDurations is Durations for the leads of one channel.
type ChannelDurations struct {
	Channel string `json:"channel"`
	Durations
}

// Recycling follows leads that reached the qualified stage, were sent back
// to a recycle stage (recycled, nurture: StageModel.Recycle) and came back.
// Only explicit stage rows count here.
type Recycling struct {
	// Stages are the recycle stage names looked for.
	Stages []string `json:"stages"`
	// Qualified counts leads with a stage row for the qualified stage.
	Qualified int64 `json:"qualified"`
	// Recycled counts those with a recycle stage row after their first
	// qualified entry.
	Recycled int64 `json:"recycled"`
	// Returned counts the recycled leads with a qualified stage row after
	// their first recycling.
	Returned int64 `json:"returned"`
	// ReturnedReached counts, for each funnel stage after the qualified
	// one, returned leads that entered it (or a later stage, or won) at or
	// after their return.
	ReturnedReached StageCounts `json:"returned_reached"`
	// ReachedQualified is the funnel's count of leads that reached the
	// qualified stage at any time (Total's count), and ByImplication is
	// ReachedQualified − Qualified: the leads that reached it only by
	// entering a later stage directly, with no stage row of their own to
	// follow. The two tables reconcile through it.
	ReachedQualified int64 `json:"reached_qualified"`
	ByImplication    int64 `json:"reached_by_implication"`
}

// DataQuality counts what the data got wrong or left implicit, over the
// whole store.
type DataQuality struct {
	// OrphanEvents, OrphanStages and OrphanOutcomes count rows whose lead_id
	// is not in the leads table; they are left out of every table.
	OrphanEvents   int64 `json:"orphan_events"`
	OrphanStages   int64 `json:"orphan_stages"`
	OrphanOutcomes int64 `json:"orphan_outcomes"`
	// EventsBeforeCreation, StagesBeforeCreation and OutcomesBeforeCreation
	// count rows dated before their lead was created.
	EventsBeforeCreation   int64 `json:"events_before_creation"`
	StagesBeforeCreation   int64 `json:"stages_before_creation"`
	OutcomesBeforeCreation int64 `json:"outcomes_before_creation"`
	// OutOfOrderLeads counts leads whose first entry into a funnel stage
	// is earlier than their first entry into an earlier funnel stage within
	// one pass through the funnel: each entry into a recycle stage
	// (StageModel.Recycle) starts a new pass, and stages a pass skips are
	// not compared (the rule of funnel status; queries/funnel_quality.sql).
	OutOfOrderLeads int64 `json:"out_of_order_leads"`
	// SkippedLeads counts leads that reached at least one stage only by
	// implication.
	SkippedLeads int64 `json:"skipped_leads"`
	// Skipped counts, per funnel stage, the leads that reached it only by
	// implication (no entry of their own into it).
	Skipped StageCounts `json:"skipped"`
	// OtherStages counts stage rows by stage name for names that are
	// neither funnel nor recycle stages (e.g. disqualified), by name.
	OtherStages []StageRows `json:"other_stages"`
}

// StageRows is a number of stage rows with one stage name.
type StageRows struct {
	Stage string `json:"stage"`
	Rows  int64  `json:"rows"`
}
