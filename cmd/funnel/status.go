package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/funnel-dev/funnel/queries"
)

// statusOptions are the flags of funnel status.
type statusOptions struct {
	db   string // workspace database file; must exist
	json bool   // print the JSON object instead of tables
}

func newStatusCmd(e *env) *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   "status --db FILE [--json]",
		Short: "Show what the workspace holds: rows per table, loads, data-quality findings",
		Long: `Status opens the workspace database read-only and prints the rows held per
table, every file loaded (with its SHA-256, rows read, added and skipped as
duplicates), and the data-quality findings that loading kept rather than
refused: events, stages and outcomes of unknown leads (orphans), duplicates
skipped, outcomes dated before the lead was created, and leads whose stage
dates contradict the order lead < mql < sal < sql < opportunity within one
pass through the funnel (a recycled or nurture entry starts a new pass;
stages a pass skips are not compared, so a referral entering at sql, or a
lead coming back through mql after a recycle, is not out of order); then,
per column (channel or attribute), the leads whose value was empty (kept as
a group of its own) and the placeholder values held ("Select", "-", "--",
"n/a", "null", "none", "?", any case; funnel load --placeholders stores
them as empty). --json
prints the same as one JSON object with keys leads, events, stages,
outcomes, lead_attributes, undated_leads (leads without created_at, among
leads), loads and findings (with placeholders and missing_values).`,
		Example: `  funnel status --db funnel.duckdb
  funnel status --db funnel.duckdb --json | jq .findings`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStatus(cmd.Context(), e, o)
		},
	}
	cmd.Flags().StringVar(&o.db, "db", queries.DefaultPath, "workspace database `FILE`")
	cmd.Flags().BoolVar(&o.json, "json", false, "print a JSON object instead of tables")
	return cmd
}

// runStatus prints the status of the database o.db, which must exist.
func runStatus(ctx context.Context, e *env, o statusOptions) error {
	store, err := openWorkspace(ctx, e, o.db)
	if err != nil {
		return err
	}
	defer store.Close()
	st, err := store.Status(ctx)
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	return printStatus(e.stdout, o.db, st)
}

// printStatus writes the human form of st.
func printStatus(w io.Writer, db string, st queries.Status) error {
	fmt.Fprintf(w, "database %s\n\n", printable(db))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range []struct {
		name string
		n    int64
	}{{"leads", st.Leads}, {"events", st.Events}, {"stages", st.Stages}, {"outcomes", st.Outcomes}, {"lead attributes", st.LeadAttributes}, {"undated leads", st.UndatedLeads}} {
		fmt.Fprintf(tw, "%s\t%d\n", r.name, r.n)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nloads (%d files)\n", len(st.Loads))
	if len(st.Loads) > 0 {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "load\ttime (UTC)\tkind\trows\tadded\tduplicates\tsha256\tfile")
		for _, l := range st.Loads {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%.12s\t%s\n", l.LoadID, l.Time.Format("2006-01-02 15:04:05"), l.Kind, l.Rows, l.Added, l.Duplicates, l.SHA256, printable(l.File))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	f := st.Findings
	fmt.Fprintln(w, "\nfindings")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range []struct {
		name, unit string
		f          queries.Finding
	}{
		{"events of unknown leads", "rows", f.OrphanEvents},
		{"stages of unknown leads", "rows", f.OrphanStages},
		{"outcomes of unknown leads", "rows", f.OrphanOutcomes},
		{"outcomes before the lead was created", "rows", f.OutcomeBeforeCreated},
		{"stage dates out of order", "leads", f.StagesOutOfOrder},
	} {
		eg := ""
		if len(r.f.Examples) > 0 {
			examples := make([]string, len(r.f.Examples))
			for i, x := range r.f.Examples {
				examples[i] = printable(x)
			}
			eg = "e.g. " + strings.Join(examples, ", ")
		}
		fmt.Fprintf(tw, "%s\t%d %s\t%s\n", r.name, r.f.Count, r.unit, eg)
	}
	fmt.Fprintf(tw, "duplicate rows skipped\t%d rows\t\n", f.DuplicatesSkipped)
	if err := tw.Flush(); err != nil {
		return err
	}
	return printValueFindings(w, f)
}

// printValueFindings writes the empty and placeholder values per column.
func printValueFindings(w io.Writer, f queries.Findings) error {
	if len(f.MissingValues) > 0 {
		fmt.Fprintf(w, "\nempty values (each kept as a group of its own: channel %s, attributes %s)\n", queries.NoChannel, queries.NoValue)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, m := range f.MissingValues {
			fmt.Fprintf(tw, "%s\t%d leads\n", printable(m.Column), m.Leads)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(f.Placeholders) > 0 {
		fmt.Fprintln(w, "\nplaceholder values (stored as given; funnel load --placeholders stores them as empty)")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, p := range f.Placeholders {
			fmt.Fprintf(tw, "%s\t%q\t%d leads\n", printable(p.Column), printable(p.Value), p.Leads)
		}
		return tw.Flush()
	}
	return nil
}
