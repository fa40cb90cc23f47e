// Package oracle reads a data set written by funnel gen (leads.csv,
// events.csv, stages.csv, outcomes.csv and truth.yaml) and computes, in
// plain Go, what a correct engine must agree with: each lead's true logit
// from the files and truth.yaml, landmark snapshots of the leads, the wrong
// outcome-dependent window of older engines (for mutation checks), and the
// AUC of any score.
//
// It is an independent oracle: it shares no code with the generator (its
// own CSV and YAML reading, its own timestamp parsing, its own arithmetic)
// and imports neither queries nor calibrate, so tests of the generator, of
// calibrate and of the CLI can all check their answers against it.
//
// A landmark snapshot of a lead at age ℓ days exists when, at the moment
// L = created_at + ℓ, the lead has not yet entered a sales-owned stage (no
// such stage row with entered_at ≤ L), has not closed (no outcome with
// closed_at ≤ L), and L is within the data (L ≤ the latest timestamp in
// the four files). Its features are the lead's events strictly before L,
// counted and decayed by 0.5^((L − occurred_at)/half-life) in fractional
// days; its label is a won outcome within horizon_days of created_at.
package oracle
