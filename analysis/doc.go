// Package analysis computes funnel metrics from the store: the stage model
// (names and order are configuration), cohort and period conversion,
// breakdowns by channel, action type and month, time in stage, recycling and
// the maturity of cohorts. It returns plain Go values (Report); rendering is
// the reports package's job.
//
// Definitions (the README repeats them):
//
//   - Stages and their order are configuration (StageModel), by default
//     lead, mql, sal, sql, opportunity, won. Other stage names (recycled,
//     nurture, disqualified) are tracked but are not funnel steps. Stage
//     names match in any case.
//   - Every lead reached the first stage when it was created. The last stage
//     (won) is reached by a won outcome. A lead REACHED a stage if it has a
//     stage row for it or reached any later funnel stage: a referral entering
//     at sql counts in mql and sal too. Such a stage is "skipped" (reached
//     by implication only); DataQuality counts them. A lead passing a stage
//     twice counts once, at its first entry.
//   - Counts are distinct leads that ever reached a stage, up to the end of
//     the data (the latest timestamp in any table).
//   - Cohort view (ByChannel, ByAction, ByMonth, ByAttribute): leads grouped
//     by creation month (or channel, action, attribute); conversion counts a
//     lead that reached the stage within WindowDays of its creation. The
//     window defaults to the 90th percentile of days from creation to win.
//     A lead created less than WindowDays before the end of the data is
//     immature; rates use the mature leads only, and a group with no mature
//     lead (a young cohort) shows its conversion so far, flagged Immature,
//     with OpenShare, the share of its leads still open (immature, not won,
//     no outcome). Open leads are never counted as lost.
//   - ByAction looks at every lead at one landmark age of L days (given as
//     Options.LandmarkDays; by default the median of days from creation to
//     first reaching the qualified stage, rounded, at least 1). Its
//     population is the leads whose landmark, created_at + L, is within the
//     data and that had not reached the qualified stage (nor any later one,
//     by implication included) before it. A row compares the leads of the
//     population that did the action strictly before their landmark with
//     those that had not: the windowed conversion of each side into the
//     qualified stage and every later one, the ratio with a Katz 95%
//     interval and a z-test p-value (Lift). The cut-off is the same age for
//     everyone, so it cannot depend on the outcome: "before first MQL"
//     would give winners, who qualify sooner, short windows and make steady
//     harmless activity look harmful.
//   - Period view (Period): stage entries counted in the calendar month they
//     happened, every entry (a lead re-entering a stage in another month
//     counts there again).
//   - Rates carry 95% Wilson score intervals; month-over-month and
//     year-over-year changes a pooled two-proportion z-test.
//
// Compute does the counting in DuckDB on one connection: one statement
// classifies stage rows and outcomes per lead, one builds a per-lead table
// (latest stage reached ever and within the window, first qualification,
// maturity), and one pass over events joined to it sets a per-lead bit mask
// of the actions done before the landmark (under memory pressure two
// passes: one grouped by lead with no join, which settles most leads, and
// one over the events of leads whose events straddle their landmark or
// precede their creation). Every table is then summed from small
// histograms of that per-lead table.
package analysis
