package analysis

// AdjustedEffect is a calibration's estimate of what doing an action is
// worth with the lead's other actions, channel and profile held fixed,
// shown beside the action's raw lift (which compares leads who did it with
// those who did not, whatever else differs between them). It is computed by
// calibrate and attached to the report unchanged.
type AdjustedEffect struct {
	// Target is what the calibration predicts ("won" or "sql").
	Target string `json:"target"`
	// OddsRatio multiplies the odds of the target per unit of the action's
	// feature (one event; one fresh event when HalfLifeDays > 0).
	OddsRatio float64 `json:"odds_ratio"`
	// CILow and CIHigh bound its 95% confidence interval.
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	// PValue tests an odds ratio of 1.
	PValue float64 `json:"p_value"`
	// HalfLifeDays is the decay of the action's feature (0: plain counts).
	HalfLifeDays float64 `json:"half_life_days"`
	// Transform is how counts entered the fit (count, log1p or yesno).
	Transform string `json:"transform"`
}

// AttachAdjusted sets the adjusted effect of every ByAction row whose
// action the calibration fitted, and returns the actions it has no effect
// for (not fitted: too rare, excluded, or absent from the calibration).
func (r *Report) AttachAdjusted(effects map[string]AdjustedEffect) (missing []string) {
	for i := range r.ByAction {
		e, ok := effects[r.ByAction[i].Action]
		if !ok {
			missing = append(missing, r.ByAction[i].Action)
			continue
		}
		r.ByAction[i].Adjusted = &e
	}
	return missing
}
