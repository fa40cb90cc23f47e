// Package calibrate fits lead-scoring weights and the MQL threshold from
// history: leak-free feature matrices, maximum-likelihood logistic regression
// with gonum, inference (standard errors, confidence intervals, p-values),
// point scaling, threshold selection, validation metrics and the scoring
// model file. Its numeric core takes plain matrices, not a database.
package calibrate
