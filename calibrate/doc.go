// Package calibrate fits lead-scoring weights and the MQL threshold from
// history. Leads are looked at as landmark snapshots: at fixed ages (1, 3,
// 7, 14, 30 days) while still with marketing, with only the events before
// that moment, so no feature window ends at a moment that depends on the
// outcome. One logistic regression (gonum) pools the snapshots with shared
// weights and an intercept per landmark, standard errors clustered by lead;
// then come inference, point scaling, threshold selection, out-of-time
// validation within landmarks, leak and drift checks, and the scoring model
// file. Its numeric core takes plain matrices, not a database.
package calibrate
