// Package analysis computes funnel metrics from the store: the stage model
// (names and order are configuration), cohort and period conversion,
// breakdowns by channel, action type and month, time in stage, recycling and
// the maturity of cohorts. It returns plain Go values; rendering is the
// reports package's job.
package analysis
