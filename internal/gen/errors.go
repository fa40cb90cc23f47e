package gen

import "errors"

// ErrBadConfig is returned by Generate for a configuration it cannot use
// (no leads, no months, a data range outside years 1–9999).
var ErrBadConfig = errors.New("bad generator configuration")

// ErrBadTruth is returned by ParseTruth for a truth.yaml that lacks a
// required field or has one out of range.
var ErrBadTruth = errors.New("bad truth file")
