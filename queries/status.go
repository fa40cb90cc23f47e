package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"time"
)

//go:embed status_counts.sql
var statusCountsSQL string

//go:embed status_loads.sql
var statusLoadsSQL string

//go:embed status_duplicates.sql
var statusDuplicatesSQL string

//go:embed status_orphans.sql
var statusOrphansSQL string

//go:embed status_outcome_before_created.sql
var statusOutcomeBeforeCreatedSQL string

//go:embed status_stages_out_of_order.sql
var statusStagesOutOfOrderSQL string

//go:embed status_placeholders.sql
var statusPlaceholdersSQL string

//go:embed status_missing.sql
var statusMissingSQL string

// Status is what a workspace holds: rows per table, the load log and
// data-quality findings. Its JSON form is `funnel status --json`.
type Status struct {
	Leads          int64 `json:"leads"`
	Events         int64 `json:"events"`
	Stages         int64 `json:"stages"`
	Outcomes       int64 `json:"outcomes"`
	LeadAttributes int64 `json:"lead_attributes"`
	// UndatedLeads counts the leads without created_at (a flat export
	// without dates); they are among Leads.
	UndatedLeads int64 `json:"undated_leads"`
	// Loads lists every file loaded, oldest first.
	Loads    []LoadRecord `json:"loads"`
	Findings Findings     `json:"findings"`
}

// LoadRecord is one file of the load log.
type LoadRecord struct {
	LoadID int64  `json:"load_id"`
	Kind   Kind   `json:"kind"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// Rows is the number of data rows read from the file.
	Rows int64 `json:"rows"`
	// Added is the number of rows added (for leads: added or updated).
	Added int64 `json:"added"`
	// Duplicates is the number of rows skipped as already present.
	Duplicates int64 `json:"duplicates"`
	// Time is when the load ran, in UTC.
	Time time.Time `json:"time"`
}

// Findings are the data-quality facts about the stored data that were kept,
// not refused, when loading: legal but worth a look.
type Findings struct {
	// OrphanEvents counts event rows whose lead_id is not in leads.
	OrphanEvents Finding `json:"orphan_events"`
	// OrphanStages counts stage rows whose lead_id is not in leads.
	OrphanStages Finding `json:"orphan_stages"`
	// OrphanOutcomes counts outcome rows whose lead_id is not in leads.
	OrphanOutcomes Finding `json:"orphan_outcomes"`
	// DuplicatesSkipped is the number of input rows all loads skipped as
	// repeated within a file or already stored.
	DuplicatesSkipped int64 `json:"duplicates_skipped"`
	// OutcomeBeforeCreated counts outcome rows closed before their lead's
	// created_at.
	OutcomeBeforeCreated Finding `json:"outcome_before_created"`
	// StagesOutOfOrder counts leads that, within one pass through the
	// funnel, first entered a stage of the default order lead < mql < sal <
	// sql < opportunity before first entering an earlier stage of the same
	// pass (e.g. sal before mql). Each recycle entry (recycled, nurture)
	// starts a new pass; stages a pass skips are not compared, so a late
	// entry (a referral straight at sql) and a loop back through mql after
	// a recycle are not counted. See status_stages_out_of_order.sql.
	StagesOutOfOrder Finding `json:"stages_out_of_order"`
	// Placeholders lists the placeholder values held (see
	// PlaceholderValues), per column and value, most frequent first; load
	// with LoadRequest.Placeholders to store them as missing. Never nil.
	Placeholders []PlaceholderCount `json:"placeholders"`
	// MissingValues counts, per column, the leads whose field was empty
	// (channel NoChannel, an attribute NoValue), each kept as a group of
	// its own. Never nil.
	MissingValues []MissingCount `json:"missing_values"`
}

// PlaceholderCount is one placeholder value of a column and the number of
// leads having it.
type PlaceholderCount struct {
	// Column is "channel" or an attribute's name.
	Column string `json:"column"`
	Value  string `json:"value"`
	Leads  int64  `json:"leads"`
}

// MissingCount is the number of leads whose field of a column was empty.
type MissingCount struct {
	// Column is "channel" or an attribute's name.
	Column string `json:"column"`
	Leads  int64  `json:"leads"`
}

// Finding is one data-quality finding: how many rows (or leads, as its
// documentation says) and up to 5 example lead_ids, the smallest.
type Finding struct {
	Count    int64    `json:"count"`
	Examples []string `json:"examples"`
}

// Status reads what the store holds. It only reads, so it works on a store
// opened read-only.
func (s *Store) Status(ctx context.Context) (Status, error) {
	var st Status
	if err := s.db.QueryRowContext(ctx, statusCountsSQL).Scan(&st.Leads, &st.Events, &st.Stages, &st.Outcomes, &st.LeadAttributes, &st.UndatedLeads); err != nil {
		return st, fmt.Errorf("status: counts: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, statusLoadsSQL)
	if err != nil {
		return st, fmt.Errorf("status: loads: %w", err)
	}
	defer rows.Close()
	st.Loads = []LoadRecord{}
	for rows.Next() {
		var r LoadRecord
		var kind string
		if err := rows.Scan(&r.LoadID, &kind, &r.File, &r.SHA256, &r.Rows, &r.Added, &r.Duplicates, &r.Time); err != nil {
			return st, fmt.Errorf("status: loads: %w", err)
		}
		r.Kind = Kind(kind)
		r.Time = r.Time.UTC()
		st.Loads = append(st.Loads, r)
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("status: loads: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, statusDuplicatesSQL).Scan(&st.Findings.DuplicatesSkipped); err != nil {
		return st, fmt.Errorf("status: duplicates: %w", err)
	}
	for _, q := range []struct {
		name  string
		query string
		into  *Finding
	}{
		{"orphan events", fill(statusOrphansSQL, "/*TABLE*/", QuoteIdent("events")), &st.Findings.OrphanEvents},
		{"orphan stages", fill(statusOrphansSQL, "/*TABLE*/", QuoteIdent("stages")), &st.Findings.OrphanStages},
		{"orphan outcomes", fill(statusOrphansSQL, "/*TABLE*/", QuoteIdent("outcomes")), &st.Findings.OrphanOutcomes},
		{"outcomes before created", statusOutcomeBeforeCreatedSQL, &st.Findings.OutcomeBeforeCreated},
		{"stages out of order", statusStagesOutOfOrderSQL, &st.Findings.StagesOutOfOrder},
	} {
		var examples []any
		if err := s.db.QueryRowContext(ctx, q.query).Scan(&q.into.Count, &examples); err != nil {
			return st, fmt.Errorf("status: %s: %w", q.name, err)
		}
		q.into.Examples = make([]string, 0, len(examples))
		for _, e := range examples {
			q.into.Examples = append(q.into.Examples, fmt.Sprint(e))
		}
	}
	if st.Findings.Placeholders, err = placeholderCounts(ctx, s); err != nil {
		return st, err
	}
	if st.Findings.MissingValues, err = missingCounts(ctx, s); err != nil {
		return st, err
	}
	return st, nil
}

// placeholderCounts reads the placeholder values held per column.
func placeholderCounts(ctx context.Context, s *Store) ([]PlaceholderCount, error) {
	return statusRows(ctx, s, "placeholders", statusPlaceholdersSQL, func(rows *sql.Rows) (p PlaceholderCount, err error) {
		return p, rows.Scan(&p.Column, &p.Value, &p.Leads)
	}, PlaceholderValues())
}

// missingCounts reads, per column, the leads whose field was empty.
func missingCounts(ctx context.Context, s *Store) ([]MissingCount, error) {
	return statusRows(ctx, s, "missing values", statusMissingSQL, func(rows *sql.Rows) (m MissingCount, err error) {
		return m, rows.Scan(&m.Column, &m.Leads)
	}, NoChannel, NoValue)
}

// statusRows runs a status query with args bound and returns its rows, each
// read by scan; never nil. Errors name what was read.
func statusRows[T any](ctx context.Context, s *Store, what, query string, scan func(*sql.Rows) (T, error), args ...any) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("status: %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("status: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("status: %s: %w", what, err)
	}
	return out, nil
}
