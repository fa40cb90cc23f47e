package analysis

import "errors"

// ErrStageModel is returned when a StageModel is unusable (too few stages,
// duplicate or reserved names, an unknown qualified stage).
var ErrStageModel = errors.New("invalid stage model")

// ErrMonth is returned for a month that is not YYYY-MM.
var ErrMonth = errors.New("invalid month")

// ErrNoLeads is returned when the store holds no leads in the selected
// cohorts.
var ErrNoLeads = errors.New("no leads")
