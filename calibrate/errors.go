package calibrate

import (
	"errors"
	"fmt"
)

// Sentinel errors of package calibrate; callers test them with errors.Is.
var (
	// ErrEmptyData means there are no rows (or only rows of zero weight) to fit or score.
	ErrEmptyData = errors.New("no rows to fit")
	// ErrSingleClass means every row has the same outcome (all won or all lost), so no
	// weight can be estimated.
	ErrSingleClass = errors.New("every row has the same outcome")
	// ErrSeparation means a feature (or a combination) predicts the outcome perfectly for
	// the rows that have it, so its maximum-likelihood weight is infinite. The wrapped
	// *SeparationError names the feature.
	ErrSeparation = errors.New("perfect separation")
	// ErrNotConverged means Newton's method did not reach the tolerance within the
	// iteration limit, without a sign of separation.
	ErrNotConverged = errors.New("fit did not converge")
	// ErrSingular means the features are collinear (one is a linear combination of
	// others, or of the intercept), so the weights are not identified. The message names
	// the columns involved.
	ErrSingular = errors.New("collinear features")
	// ErrUnknownFeature means a model file names features the data does not have.
	ErrUnknownFeature = errors.New("unknown feature")
	// ErrInvalidModel means a model file breaks a rule of its format (bad version,
	// negative cap, unknown transform, missing threshold, …).
	ErrInvalidModel = errors.New("invalid model file")
	// ErrNoThreshold means no threshold on the trade-off curve meets the requested
	// capacity or precision.
	ErrNoThreshold = errors.New("no threshold meets the rule")
	// ErrTimeSplit means the out-of-time split was asked for but the dates
	// do not allow it (undated leads, or many leads created at one moment);
	// the random split is the fix.
	ErrTimeSplit = errors.New("the out-of-time split needs distinct creation dates")
)

// SeparationError names the feature whose weight diverges because it separates the
// outcome. It unwraps to ErrSeparation.
type SeparationError struct {
	// Feature is the column name as given in Data.Names (or "(intercept)").
	Feature string
	// Detail says why, e.g. "every lead with it won".
	Detail string
}

// Error implements error.
func (e *SeparationError) Error() string {
	return fmt.Sprintf("perfect separation on %s: %s; drop or merge the feature, or fit with an L2 penalty", e.Feature, e.Detail)
}

// Unwrap returns ErrSeparation.
func (e *SeparationError) Unwrap() error { return ErrSeparation }
