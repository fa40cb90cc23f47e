// Package gen generates realistic synthetic B2B funnel data in the input
// contract (leads.csv, events.csv, stages.csv, outcomes.csv) from a planted
// model that it writes to truth.yaml, so that reports and calibrations can be
// checked against a known answer.
//
// Every lead's won-within-horizon outcome is drawn from the true logistic
// model (see Truth) on its channel, profile and decayed actions before its
// cut-off; stage history, amounts and later events are then simulated to be
// consistent with that outcome, including a leakage trap (high-intent events
// after the cut-off that mostly winners do). Output is deterministic for a
// seed: leads are generated in fixed-size shards, each with its own PCG
// stream derived from the seed, and written in shard order.
package gen
