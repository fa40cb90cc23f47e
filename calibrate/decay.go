package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DefaultHalfLifeGrid returns the half-lives in days that an automatic
// half-life search tries, besides no decay: 3, 7, 14, 21, 30, 45, 60 and 90.
func DefaultHalfLifeGrid() []float64 {
	return []float64{3, 7, 14, 21, 30, 45, 60, 90}
}

// HalfLife says how action events are decayed.
type HalfLife struct {
	// Auto searches the grid (and no decay) by profile likelihood.
	Auto bool
	// Days is the fixed half-life when Auto is false; 0 means no decay.
	Days float64
}

// ParseHalfLife parses the --half-life flag: "auto", "none" (or "0") or a
// positive number of days.
func ParseHalfLife(s string) (HalfLife, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "":
		return HalfLife{Auto: true}, nil
	case "none", "0":
		return HalfLife{}, nil
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(d > 0) || math.IsInf(d, 0) {
		return HalfLife{}, fmt.Errorf("half-life %q is not auto, none or a positive number of days", s)
	}
	return HalfLife{Days: d}, nil
}

// String formats h as the flag accepts it.
func (h HalfLife) String() string {
	switch {
	case h.Auto:
		return "auto"
	case h.Days == 0:
		return "none"
	}
	return strconv.FormatFloat(h.Days, 'g', -1, 64)
}

// profileHalfLife fits the training rows once per half-life in grid (0 = no
// decay) and returns the profile log-likelihood curve and the half-life with
// the largest log-likelihood. Log-likelihoods are comparable because every
// grid point uses the same leads and the same columns; only the action
// values change. A grid point whose fit fails is left out of the curve with
// a warning; if all fail, the first error is returned. The best fit is
// returned too, to start the final fit from (FitOptions.Start).
func profileHalfLife(ctx context.Context, l *Leads, av *ActionValues, train []int, rowOf []int32,
	grid []float64, dopts designOptions, fo FitOptions) ([]HalfLifePoint, float64, *LogitFit, []string, error) {
	var curve []HalfLifePoint
	var warn []string
	var firstErr error
	best, bestLL := 0.0, math.Inf(-1)
	var bestFit *LogitFit
	y := make([]float64, len(train))
	for r, i := range train {
		y[r] = l.Label[i]
	}
	for _, h := range grid {
		if err := ctx.Err(); err != nil {
			return nil, 0, nil, nil, err
		}
		o := dopts
		o.HalfLife = h
		d, _ := newDesign(l, av, train, rowOf, o)
		data := Data{Names: d.names, X: d.matrix(l, av, train, rowOf), Y: y}
		if h == 0 {
			data, _ = compress(data)
		}
		fit, err := FitLogit(ctx, data, fo)
		if err == nil {
			// The next half-life's weights are near these: start there.
			fo.Start = fit
		}
		if err != nil {
			if isCanceled(err) {
				return nil, 0, nil, nil, err
			}
			if firstErr == nil {
				firstErr = fmt.Errorf("half-life %s: %w", HalfLife{Days: h}, err)
			}
			warn = append(warn, fmt.Sprintf("half-life %s days left out of the search: %v", HalfLife{Days: h}, err))
			continue
		}
		curve = append(curve, HalfLifePoint{HalfLifeDays: h, LogLik: fit.LogLik})
		if fit.LogLik > bestLL {
			best, bestLL, bestFit = h, fit.LogLik, fit
		}
	}
	if len(curve) == 0 {
		return nil, 0, nil, nil, firstErr
	}
	for k := range curve {
		curve[k].Chosen = curve[k].HalfLifeDays == best
	}
	if best > 0 && len(grid) > 1 {
		lo, hi := math.Inf(1), 0.0
		for _, h := range grid {
			if h > 0 {
				lo, hi = math.Min(lo, h), math.Max(hi, h)
			}
		}
		if best == hi {
			warn = append(warn, fmt.Sprintf("the best half-life is the longest tried (%g days); decay may be weaker still", hi))
		} else if best == lo {
			warn = append(warn, fmt.Sprintf("the best half-life is the shortest tried (%g days); decay may be faster still", lo))
		}
	}
	return curve, best, bestFit, warn, nil
}

// isCanceled reports whether err is a context cancellation.
func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
