// Package gen generates realistic synthetic B2B funnel data in the input
// contract (leads.csv, events.csv, stages.csv, outcomes.csv) from a planted
// model that it writes to truth.yaml, so that reports and calibrations can be
// checked against a known answer.
//
// The truth is stated at a fixed age of the lead, in a user's terms (see
// Truth): every lead's won-within-horizon outcome is drawn from a logistic
// model of its channel, profile and the actions it did in its first
// planted_age_days (7), each decayed from that age. No stage enters it. The
// stage history is drawn afterwards from the outcome and independent noise,
// as in life: winners are handed to sales sooner (about 28% before day 7)
// than the losers that reach sales, and nothing up to a lead's first sales
// entry depends on its actions or profile, so a fit on landmark snapshots
// keeps the true slopes. The data set sets three traps for a wrong method:
// null actions (email_open, page_view; weight 0) that every lead does at a
// steady rate all its life, which look harmful in any window that ends at
// the first sales stage; a buying burst of high-intent events after sales
// accepts a winner; and lead_quality, a column sales fills in nearly only
// for winners.
//
// The subpackage oracle reads the files back independently and computes
// what an engine must agree with (true logits, landmark snapshots, AUC).
// Output is deterministic for a seed: leads are generated in fixed-size
// shards, each with its own PCG stream derived from the seed, and written in
// shard order.
package gen
