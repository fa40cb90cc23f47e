package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// The funnel statements. Each builds or reads the session's temp tables
// (fl_base, fl_entry, fl_first, fl_lead, fl_act); see the header of each
// file.
var (
	//go:embed funnel_data_end.sql
	funnelDataEndSQL string
	//go:embed funnel_base.sql
	funnelBaseSQL string
	//go:embed funnel_entries.sql
	funnelEntriesSQL string
	//go:embed funnel_stage_first.sql
	funnelStageFirstSQL string
	//go:embed funnel_win_days.sql
	funnelWinDaysSQL string
	//go:embed funnel_qualified_days.sql
	funnelQualifiedDaysSQL string
	//go:embed funnel_leads.sql
	funnelLeadsSQL string
	//go:embed funnel_action_names.sql
	funnelActionNamesSQL string
	//go:embed funnel_lead_actions_one_pass.sql
	funnelLeadActionsOnePassSQL string
	//go:embed funnel_low_memory.sql
	funnelLowMemorySQL string
	//go:embed funnel_low_memory_end.sql
	funnelLowMemoryEndSQL string
	//go:embed funnel_lead_events.sql
	funnelLeadEventsSQL string
	//go:embed funnel_lead_actions.sql
	funnelLeadActionsSQL string
	//go:embed funnel_groups.sql
	funnelGroupsSQL string
	//go:embed funnel_action_groups.sql
	funnelActionGroupsSQL string
	//go:embed funnel_attribute_groups.sql
	funnelAttributeGroupsSQL string
	//go:embed funnel_period.sql
	funnelPeriodSQL string
	//go:embed funnel_time_in_stage.sql
	funnelTimeInStageSQL string
	//go:embed funnel_recycling.sql
	funnelRecyclingSQL string
	//go:embed funnel_quality.sql
	funnelQualitySQL string
	//go:embed funnel_event_quality.sql
	funnelEventQualitySQL string
	//go:embed funnel_skipped.sql
	funnelSkippedSQL string
	//go:embed funnel_other_stages.sql
	funnelOtherStagesSQL string
)

// FunnelSession is one connection to the store holding the temporary
// per-lead tables the funnel report is derived from. Build them in order
// (BuildEntries, BuildLeads, BuildLeadActions), then read the small summary
// tables. Leads are keyed by an integer lead_no from the first step on,
// so only the first step and the passes over events join on lead_id. A
// session is not safe for concurrent use; Close drops its tables.
type FunnelSession struct {
	conn  *sql.Conn
	store *Store
}

// FunnelSession opens a session on its own connection.
func (s *Store) FunnelSession(ctx context.Context) (*FunnelSession, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("funnel session: %w", err)
	}
	return &FunnelSession{conn: conn, store: s}, nil
}

// Close drops the session's temp tables and returns its connection.
func (f *FunnelSession) Close() error { return f.conn.Close() }

func (f *FunnelSession) exec(ctx context.Context, what, query string, args ...any) error {
	if _, err := f.conn.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// DataEnd returns the latest timestamp in leads, events, stages and
// outcomes, or for undated leads alone the time of the last load (see
// funnel_data_end.sql); ok is false when the store is empty.
func (f *FunnelSession) DataEnd(ctx context.Context) (end time.Time, ok bool, err error) {
	var t sql.NullTime
	if err := f.conn.QueryRowContext(ctx, funnelDataEndSQL).Scan(&t); err != nil {
		return time.Time{}, false, fmt.Errorf("data end: %w", err)
	}
	return t.Time.UTC(), t.Valid, nil
}

// BuildEntries creates fl_base (one row per lead with an integer key),
// fl_entry (every stage row and outcome of a known lead, classified against
// the funnel stages and recycle stages, both lower case) and fl_first (first
// explicit entry per lead and funnel stage).
func (f *FunnelSession) BuildEntries(ctx context.Context, stages, recycle []string) error {
	if recycle == nil {
		recycle = []string{}
	}
	if err := f.exec(ctx, "leads", funnelBaseSQL); err != nil {
		return err
	}
	if err := f.exec(ctx, "stage entries", funnelEntriesSQL, stages, recycle); err != nil {
		return err
	}
	return f.exec(ctx, "first stage entries", funnelStageFirstSQL)
}

// WinDaysP90 returns the 90th percentile of days from creation to first win
// and the number of won leads it is taken over (p90 is 0 when wonLeads is 0).
// lastIdx is the index of the won stage. Needs BuildEntries.
func (f *FunnelSession) WinDaysP90(ctx context.Context, lastIdx int) (p90 float64, wonLeads int64, err error) {
	var p sql.NullFloat64
	if err := f.conn.QueryRowContext(ctx, funnelWinDaysSQL, lastIdx).Scan(&p, &wonLeads); err != nil {
		return 0, 0, fmt.Errorf("days to win: %w", err)
	}
	return p.Float64, wonLeads, nil
}

// QualifiedDaysMedian returns the median of days from creation to first
// reaching the qualified stage (by implication included) and the number of
// leads it is taken over: every lead of the store that reached it not
// before its creation (median is 0 when qualifiedLeads is 0). Needs
// BuildLeads.
func (f *FunnelSession) QualifiedDaysMedian(ctx context.Context) (median float64, qualifiedLeads int64, err error) {
	var m sql.NullFloat64
	if err := f.conn.QueryRowContext(ctx, funnelQualifiedDaysSQL).Scan(&m, &qualifiedLeads); err != nil {
		return 0, 0, fmt.Errorf("days to qualify: %w", err)
	}
	return m.Float64, qualifiedLeads, nil
}

// FunnelLeadParams are the parameters of BuildLeads.
type FunnelLeadParams struct {
	LastIdx      int       // index of the won stage
	QualifiedIdx int       // index of the qualified stage
	WindowDays   int       // conversion window, days
	DataEnd      time.Time // end of the data
	From, To     time.Time // included cohorts: created in [From, To)
	// Undated includes the leads without created_at (cohort "(undated)");
	// false leaves them out, as a period restricting the cohorts does.
	Undated bool
}

// BuildLeads creates fl_lead, one row per lead with its funnel summary (see
// funnel_leads.sql). Needs BuildEntries.
func (f *FunnelSession) BuildLeads(ctx context.Context, p FunnelLeadParams) error {
	return f.exec(ctx, "per-lead funnel", funnelLeadsSQL,
		p.LastIdx, p.QualifiedIdx, p.WindowDays, p.DataEnd, p.From, p.To, p.Undated)
}

// ActionCount is an action name and its number of events.
type ActionCount struct {
	Action string
	Events int64
}

// ActionNames returns every action in events with its event count, most
// frequent first.
func (f *FunnelSession) ActionNames(ctx context.Context) ([]ActionCount, error) {
	rows, err := f.conn.QueryContext(ctx, funnelActionNamesSQL)
	if err != nil {
		return nil, fmt.Errorf("action names: %w", err)
	}
	defer rows.Close()
	var out []ActionCount
	for rows.Next() {
		var a ActionCount
		if err := rows.Scan(&a.Action, &a.Events); err != nil {
			return nil, fmt.Errorf("action names: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("action names: %w", err)
	}
	return out, nil
}

// BuildLeadActions creates fl_act: per lead, the tracked actions (at most
// 64; bit i is actions[i]) done strictly before its landmark, created_at +
// landmarkDays days, and event data-quality counts. It reads events once,
// joined to the leads (funnel_lead_actions_one_pass.sql); when DuckDB runs
// out of memory doing that, it tries again with one thread and without
// insertion order (funnel_low_memory.sql), and then reads them twice:
// grouped by lead, then again for the leads whose events straddle their
// landmark (funnel_lead_events.sql, funnel_lead_actions.sql). With a
// landmark most leads straddle it, so the two passes alone no longer fit a
// tight limit (TestBigInputSpills ran out of memory in them about one run in
// four). Needs BuildLeads.
func (f *FunnelSession) BuildLeadActions(ctx context.Context, actions []string, landmarkDays int) error {
	if len(actions) > 64 {
		return fmt.Errorf("per-lead actions: %d actions, at most 64 fit the mask", len(actions))
	}
	if actions == nil {
		actions = []string{}
	}
	err := f.exec(ctx, "per-lead actions", funnelLeadActionsOnePassSQL, actions, landmarkDays)
	if err == nil || !isOutOfMemory(err) {
		return err
	}
	if err := f.exec(ctx, "per-lead actions in less memory", funnelLowMemorySQL); err != nil {
		return err
	}
	defer f.conn.ExecContext(context.WithoutCancel(ctx), funnelLowMemoryEndSQL)
	err = f.exec(ctx, "per-lead actions", funnelLeadActionsOnePassSQL, actions, landmarkDays)
	if err == nil || !isOutOfMemory(err) {
		return err
	}
	return f.buildLeadActionsTwoPass(ctx, actions, landmarkDays)
}

// buildLeadActionsTwoPass creates fl_ev and then fl_act, the same table as
// the one pass of BuildLeadActions, in two passes over events.
func (f *FunnelSession) buildLeadActionsTwoPass(ctx context.Context, actions []string, landmarkDays int) error {
	if err := f.exec(ctx, "events by lead", funnelLeadEventsSQL, actions); err != nil {
		return err
	}
	return f.exec(ctx, "per-lead actions", funnelLeadActionsSQL, actions, landmarkDays)
}

// isOutOfMemory reports whether err is DuckDB running out of memory.
func isOutOfMemory(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == duckdb.ErrorTypeOutOfMemory
}

// FunnelGroup is one cell of a funnel histogram: Leads leads of a group
// (Key: channel or attribute value; Cohort for channel groups, Undated when
// the group's leads have no created_at; Mask: the
// set of actions done before the landmark, bit i = action i) sharing the same
// latest stage reached ever (MaxIdx) and within the window (MaxIdxWindow),
// maturity and openness.
type FunnelGroup struct {
	Key          string
	Cohort       time.Time
	Undated      bool
	Mask         uint64
	MaxIdx       int
	MaxIdxWindow int
	Immature     bool
	Open         bool
	Leads        int64
}

func (f *FunnelSession) groups(ctx context.Context, what, query string, scanKey func(rows *sql.Rows, g *FunnelGroup) error, args ...any) ([]FunnelGroup, error) {
	rows, err := f.conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []FunnelGroup
	for rows.Next() {
		var g FunnelGroup
		if err := scanKey(rows, &g); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// Groups returns the funnel histogram of included leads by channel (Key) and
// cohort month (Undated for leads without created_at). Needs BuildLeads.
func (f *FunnelSession) Groups(ctx context.Context) ([]FunnelGroup, error) {
	return f.groups(ctx, "funnel by channel and month", funnelGroupsSQL, func(rows *sql.Rows, g *FunnelGroup) error {
		var cohort sql.NullTime
		if err := rows.Scan(&g.Key, &cohort, &g.MaxIdx, &g.MaxIdxWindow, &g.Immature, &g.Open, &g.Leads); err != nil {
			return err
		}
		g.Cohort, g.Undated = cohort.Time.UTC(), !cohort.Valid
		return nil
	})
}

// ActionGroups returns the funnel histogram of the landmark population by
// the set of actions (Mask; 0 for none) done before the landmark: the
// included leads whose landmark, created_at + landmarkDays days, is not
// after dataEnd and that had not reached the qualified stage (nor a later
// one) before it (see funnel_action_groups.sql). landmarkDays must be the
// one given to BuildLeadActions. Needs BuildLeadActions.
func (f *FunnelSession) ActionGroups(ctx context.Context, landmarkDays int, dataEnd time.Time) ([]FunnelGroup, error) {
	return f.groups(ctx, "funnel by action", funnelActionGroupsSQL, func(rows *sql.Rows, g *FunnelGroup) error {
		return rows.Scan(&g.Mask, &g.MaxIdx, &g.MaxIdxWindow, &g.Immature, &g.Open, &g.Leads)
	}, landmarkDays, dataEnd)
}

// AttributeGroups returns the funnel histogram of included leads by the
// value of attribute (Key; ” for leads without it). Needs BuildLeads.
func (f *FunnelSession) AttributeGroups(ctx context.Context, attribute string) ([]FunnelGroup, error) {
	src, err := f.store.attributeRows(ctx, []string{attribute})
	if err != nil {
		return nil, fmt.Errorf("funnel by attribute %s: %w", attribute, err)
	}
	query := fill(funnelAttributeGroupsSQL, "/*ATTRIBUTES*/", src)
	return f.groups(ctx, "funnel by attribute "+attribute, query, func(rows *sql.Rows, g *FunnelGroup) error {
		return rows.Scan(&g.Key, &g.MaxIdx, &g.MaxIdxWindow, &g.Immature, &g.Open, &g.Leads)
	}, attribute)
}

// PeriodCount is the number of distinct leads that entered stage Idx in
// calendar month Month.
type PeriodCount struct {
	Month time.Time
	Idx   int
	Leads int64
}

// Period returns stage entries by calendar month within [from, to), for
// stages from index 1 on. Needs BuildEntries.
func (f *FunnelSession) Period(ctx context.Context, from, to time.Time) ([]PeriodCount, error) {
	rows, err := f.conn.QueryContext(ctx, funnelPeriodSQL, from, to)
	if err != nil {
		return nil, fmt.Errorf("period view: %w", err)
	}
	defer rows.Close()
	var out []PeriodCount
	for rows.Next() {
		var p PeriodCount
		if err := rows.Scan(&p.Month, &p.Idx, &p.Leads); err != nil {
			return nil, fmt.Errorf("period view: %w", err)
		}
		p.Month = p.Month.UTC()
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("period view: %w", err)
	}
	return out, nil
}

// SpanDurations are the days between two stages' first explicit entries:
// over all included leads (Overall) or those of Channel.
type SpanDurations struct {
	FromIdx, ToIdx        int
	Channel               string
	Overall               bool
	Leads                 int64
	P25, Median, P75, P90 float64
}

// TimeInStage returns SpanDurations for each span fromIdx[i]→toIdx[i],
// overall rows first. Needs BuildLeads.
func (f *FunnelSession) TimeInStage(ctx context.Context, fromIdx, toIdx []int32) ([]SpanDurations, error) {
	if len(fromIdx) != len(toIdx) {
		return nil, fmt.Errorf("time in stage: %d span starts, %d ends", len(fromIdx), len(toIdx))
	}
	if len(fromIdx) == 0 {
		return nil, nil
	}
	rows, err := f.conn.QueryContext(ctx, funnelTimeInStageSQL, fromIdx, toIdx)
	if err != nil {
		return nil, fmt.Errorf("time in stage: %w", err)
	}
	defer rows.Close()
	var out []SpanDurations
	for rows.Next() {
		var d SpanDurations
		var ch sql.NullString
		if err := rows.Scan(&d.FromIdx, &d.ToIdx, &ch, &d.Overall, &d.Leads, &d.P25, &d.Median, &d.P75, &d.P90); err != nil {
			return nil, fmt.Errorf("time in stage: %w", err)
		}
		d.Channel = ch.String
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("time in stage: %w", err)
	}
	return out, nil
}

// RecyclingCounts are the recycling counts of included leads (see
// funnel_recycling.sql); After[i] counts returned leads whose latest funnel
// stage entered at or after their return is i.
type RecyclingCounts struct {
	Qualified, Recycled, Returned int64
	After                         map[int]int64
}

// Recycling counts qualified leads sent to a recycle stage (the recycle
// names given to BuildEntries), those that came back and where they got.
// Needs BuildLeads.
func (f *FunnelSession) Recycling(ctx context.Context, qualifiedIdx int) (RecyclingCounts, error) {
	out := RecyclingCounts{After: map[int]int64{}}
	rows, err := f.conn.QueryContext(ctx, funnelRecyclingSQL, qualifiedIdx)
	if err != nil {
		return out, fmt.Errorf("recycling: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var idx sql.NullInt64
		var n int64
		if err := rows.Scan(&kind, &idx, &n); err != nil {
			return out, fmt.Errorf("recycling: %w", err)
		}
		switch kind {
		case "qualified":
			out.Qualified = n
		case "recycled":
			out.Recycled = n
		case "returned":
			out.Returned = n
		case "after":
			out.After[int(idx.Int64)] = n
		}
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("recycling: %w", err)
	}
	return out, nil
}

// FunnelQualityCounts are the data-quality counts over the whole store.
type FunnelQualityCounts struct {
	OrphanEvents, OrphanStages, OrphanOutcomes                         int64
	EventsBeforeCreation, StagesBeforeCreation, OutcomesBeforeCreation int64
	OutOfOrderLeads                                                    int64
}

// Quality returns the data-quality counts. Needs BuildLeadActions.
func (f *FunnelSession) Quality(ctx context.Context) (FunnelQualityCounts, error) {
	var q FunnelQualityCounts
	if err := f.conn.QueryRowContext(ctx, funnelQualitySQL).Scan(&q.OrphanStages, &q.OrphanOutcomes,
		&q.StagesBeforeCreation, &q.OutcomesBeforeCreation, &q.OutOfOrderLeads); err != nil {
		return q, fmt.Errorf("data quality: %w", err)
	}
	if err := f.conn.QueryRowContext(ctx, funnelEventQualitySQL).Scan(&q.OrphanEvents, &q.EventsBeforeCreation); err != nil {
		return q, fmt.Errorf("event data quality: %w", err)
	}
	return q, nil
}

// SkippedGroup is how many leads share a latest stage reached (MaxIdx) and a
// set of explicitly entered stages (bit i of ExplicitMask).
type SkippedGroup struct {
	MaxIdx       int
	ExplicitMask uint64
	Leads        int64
}

// Skipped returns the leads of the whole store grouped by latest stage and
// explicit stages. Needs BuildLeads.
func (f *FunnelSession) Skipped(ctx context.Context) ([]SkippedGroup, error) {
	rows, err := f.conn.QueryContext(ctx, funnelSkippedSQL)
	if err != nil {
		return nil, fmt.Errorf("skipped stages: %w", err)
	}
	defer rows.Close()
	var out []SkippedGroup
	for rows.Next() {
		var g SkippedGroup
		if err := rows.Scan(&g.MaxIdx, &g.ExplicitMask, &g.Leads); err != nil {
			return nil, fmt.Errorf("skipped stages: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("skipped stages: %w", err)
	}
	return out, nil
}

// StageNameCount is a number of stage rows with one (lower-case) name.
type StageNameCount struct {
	Stage string
	Rows  int64
}

// OtherStages counts stage rows whose name is not in known, by name.
func (f *FunnelSession) OtherStages(ctx context.Context, known []string) ([]StageNameCount, error) {
	rows, err := f.conn.QueryContext(ctx, funnelOtherStagesSQL, known)
	if err != nil {
		return nil, fmt.Errorf("other stages: %w", err)
	}
	defer rows.Close()
	var out []StageNameCount
	for rows.Next() {
		var s StageNameCount
		if err := rows.Scan(&s.Stage, &s.Rows); err != nil {
			return nil, fmt.Errorf("other stages: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("other stages: %w", err)
	}
	return out, nil
}
