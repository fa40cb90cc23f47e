package calibrate

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
)

// ActionEffect is what a calibration says one action is worth once the
// lead's other actions, channel and profile are held fixed: the adjusted
// effect the funnel report shows beside an action's raw lift.
type ActionEffect struct {
	// Target is what the calibration predicts ("won" or "sql").
	Target string
	// OddsRatio is exp(weight): how the odds of the target multiply per unit
	// of the action's feature (one event, or one fresh event when decayed).
	OddsRatio float64
	// Low and High bound its 95% confidence interval; PValue tests weight 0.
	Low, High, PValue float64
	// HalfLifeDays is the decay of the action's feature (0: plain counts).
	HalfLifeDays float64
	// Transform is how counts entered the fit (count, log1p or yesno).
	Transform string
}

// ReadResult reads a calibration.json written by funnel calibrate.
func ReadResult(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: not a calibration.json: %w", path, err)
	}
	if r.Target == "" || r.Coefficients == nil {
		return nil, fmt.Errorf("%s: not a calibration.json (no target or coefficients)", path)
	}
	return &r, nil
}

// ActionEffects returns the adjusted effect of every action the
// calibration fitted, by action name.
func (r *Result) ActionEffects() map[string]ActionEffect {
	out := map[string]ActionEffect{}
	for _, c := range r.Coefficients {
		name, ok := strings.CutPrefix(c.Feature, "action:")
		if !ok {
			continue
		}
		out[name] = ActionEffect{Target: r.Target, OddsRatio: math.Exp(c.Weight), Low: math.Exp(c.CILow),
			High: math.Exp(c.CIHigh), PValue: c.PValue, HalfLifeDays: r.Options.HalfLifeDays, Transform: r.Options.Transform}
	}
	return out
}
