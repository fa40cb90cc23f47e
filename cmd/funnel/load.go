package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/queries"
)

// loadOptions are the flags of funnel load.
type loadOptions struct {
	db                              string // workspace database file
	leads, events, stages, outcomes string // input files; empty = not loaded
	mapFile                         string // YAML column mapping; empty = none
	outcomeColumn                   string // leads file column holding the outcome; empty = none
	wonValues                       []string
	placeholders                    bool // store placeholder values as empty
}

// progressMinBytes is the input size from which funnel load reports its
// steps on stderr (when stderr is a terminal).
const progressMinBytes = 16 << 20

func newLoadCmd(e *env) *cobra.Command {
	var o loadOptions
	cmd := &cobra.Command{
		Use:   "load --db FILE [--leads F] [--events F] [--stages F] [--outcomes F] [--map FILE] [--outcome-column COL [--won-values V,...]]",
		Short: "Load CRM exports (CSV, Parquet, JSON) into the workspace database",
		Long: `Load reads leads, events, stage history and outcomes exported from a CRM
into the workspace database, all files in one transaction: either every file
is added or, on any problem, nothing is. The load runs on a copy of the
workspace beside it (.FILE.load-*), renamed over the workspace only when
complete, so even a load killed outright leaves it as before or as after;
the first load creates the file only then (a refused one leaves none), and
needs free disk space for one more copy of the workspace. Files are CSV (.csv, .tsv, .txt;
delimiter detected), Parquet (.parquet) or JSON (.json array, .ndjson/.jsonl),
text formats optionally gzip-compressed (.gz). A file flag may name a folder
(every such file in it) or a quoted glob pattern ('exports/events-2026-*.csv':
every match, an error when nothing matches): all are loaded in the one
transaction, each logged with its SHA-256. Column names are matched
ignoring case; --map renames a CRM's columns first (see
testdata/mappings/hubspot.yaml and salesforce.yaml), and can set a column
to a constant for every row: outcome: "=won" for a deals file listing
winners only, created_at: "=2024-01-01" for leads without dates.

Loading again is safe: rows already stored are skipped and counted as
duplicates; a lead loaded again takes its new created_at, channel and
attributes. A bad file (missing column, unparsable date or number, empty
lead_id, unknown outcome, wrong format, not UTF-8) is refused with its file,
line, column and value. Rows for unknown leads, duplicates, outcomes before
the lead was created and stage dates out of order are kept and reported by
funnel status.

A flat export (one row per lead, often without dates) carries its outcome
in a column: name it with --outcome-column. Its values 1, yes, true, won and
converted (any case) mean won; 0, no, false, lost and not converted mean
lost; an empty value means the lead is still open; any other value is
refused with its line. --won-values names the won values instead, and then
every other non-empty value means lost. Such outcomes are stored without a
date. A lead without created_at (no such column, or an empty value) is kept
as undated: counted by funnel status, its own "(undated)" cohort; a lead
already stored keeps its date when the file has no created_at column.

An empty source is stored as the channel (none), an empty attribute as
(missing): each a group of its own. --placeholders does the same with the
values exports use for a field nobody filled in: Select, -, --, n/a, null,
none and ? (any case); funnel status lists those it finds.`,
		Example: `  funnel load --db funnel.duckdb --leads leads.csv --events events.parquet
  funnel load --db funnel.duckdb --stages stages.ndjson --outcomes outcomes.csv.gz
  funnel load --db funnel.duckdb --events 'exports/events-2026-*.csv'
  funnel load --db funnel.duckdb --outcomes deals.csv --map deals.yaml   # deals.yaml: outcomes: {outcome: "=won", ...}
  funnel load --db funnel.duckdb --leads contacts.csv --map testdata/mappings/hubspot.yaml
  funnel load --db flat.duckdb --leads export.csv --outcome-column Converted
  funnel load --db flat.duckdb --leads export.csv --outcome-column Stage --won-values "Closed Won"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.leads == "" && o.events == "" && o.stages == "" && o.outcomes == "" {
				return usagef("funnel load needs at least one of --leads, --events, --stages, --outcomes")
			}
			if cmd.Flags().Changed("won-values") && o.outcomeColumn == "" {
				return usagef("--won-values needs --outcome-column")
			}
			if o.outcomeColumn != "" && o.leads == "" {
				return usagef("--outcome-column names a column of the leads file: give it with --leads")
			}
			return runLoad(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.db, "db", queries.DefaultPath, "workspace database `FILE` (created by the first load that succeeds)")
	f.StringVar(&o.leads, "leads", "", "leads `FILE` (or folder, or quoted glob): lead_id, optional created_at, channel, any other column an attribute")
	f.StringVar(&o.events, "events", "", "events `FILE` (or folder, or quoted glob): lead_id, occurred_at, action, optional value")
	f.StringVar(&o.stages, "stages", "", "stage history `FILE` (or folder, or quoted glob): lead_id, stage, entered_at")
	f.StringVar(&o.outcomes, "outcomes", "", "outcomes `FILE` (or folder, or quoted glob): lead_id, closed_at, outcome (won/lost), optional amount")
	f.StringVar(&o.mapFile, "map", "", "YAML `FILE` renaming the export's columns per kind of file")
	f.BoolVar(&o.placeholders, "placeholders", false, "store a leads file's placeholder values (Select, -, --, n/a, null, none, ?; any case) as empty: channel (none), attributes (missing)")
	f.StringVar(&o.outcomeColumn, "outcome-column", "", "`COLUMN` of the leads file holding each lead's outcome (empty: still open); stored undated")
	f.StringSliceVar(&o.wonValues, "won-values", nil, "`VALUES` of --outcome-column meaning won, comma-separated, any case; every other non-empty value is lost\n(default 1,yes,true,won,converted, and 0,no,false,lost,not converted mean lost)")
	return cmd
}

// runLoad loads the files named in o and prints one summary line per file.
func runLoad(ctx context.Context, e *env, o loadOptions) error {
	var mapping queries.Mapping
	if o.mapFile != "" {
		fh, err := os.Open(o.mapFile)
		if err != nil {
			return fmt.Errorf("--map: %w", err)
		}
		mapping, err = queries.ParseMapping(fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", o.mapFile, err)
		}
	}
	opts := e.storeOptions(false)
	opts.DeferCreate = true // a refused first load leaves no file
	store, err := queries.Open(ctx, o.db, opts)
	if err != nil {
		return err
	}
	defer store.Close()
	req := queries.LoadRequest{Leads: o.leads, Events: o.events, Stages: o.stages, Outcomes: o.outcomes, Mapping: mapping,
		Outcome: queries.OutcomeColumn{Column: o.outcomeColumn, Won: o.wonValues}, Placeholders: o.placeholders}
	if e.progress && inputBytes(o) >= progressMinBytes {
		req.Progress = func(p queries.LoadProgress) {
			fmt.Fprintf(e.stderr, "%6.1fs  %-8s %s: %s\n", p.Elapsed.Seconds(), p.Kind, p.File, p.Step)
		}
	}
	res, err := store.Load(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded into %s (load %d)\n", o.db, res.LoadID)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\tfile\trows\tadded\tupdated\tduplicates\torphans\t")
	for _, f := range res.Files {
		updated, orphans := "-", fmt.Sprint(f.Orphans)
		if f.Kind == queries.KindLeads {
			updated, orphans = fmt.Sprint(f.Updated), "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\t%s\t\n", f.Kind, f.Path, f.Rows, f.Added, updated, f.Duplicates, orphans)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range res.Files {
		if f.Kind == queries.KindLeads && o.outcomeColumn != "" {
			fmt.Fprintf(e.stdout, "outcomes from column %s: %d added (undated)\n", o.outcomeColumn, f.Outcomes)
		}
	}
	return nil
}

// inputBytes is the total size of the input files that exist (a folder or
// a pattern counts nothing).
func inputBytes(o loadOptions) int64 {
	var n int64
	for _, p := range []string{o.leads, o.events, o.stages, o.outcomes} {
		if st, err := os.Stat(p); p != "" && err == nil {
			n += st.Size()
		}
	}
	return n
}
