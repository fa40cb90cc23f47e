package reports

import "errors"

// ErrNoResult is returned by WriteFunnel and WriteCalibration when they are
// given a nil result.
var ErrNoResult = errors.New("nothing to render: result is nil")
