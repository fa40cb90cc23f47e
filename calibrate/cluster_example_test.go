package calibrate_test

import (
	"context"
	"fmt"

	"github.com/funnel-dev/funnel/calibrate"
	"gonum.org/v1/gonum/mat"
)

// ExampleClusterRobust fits 14 landmark snapshots of 7 leads, given as 4
// weighted unique rows (x = demo requested by the landmark, y = the lead
// won), and replaces the model standard errors with ones robust to the
// snapshots of one lead being dependent.
//
// By hand: the odds of winning are 3:2 with a demo and 3:6 without, so the
// weight is ln 3 = 1.0986 and its model SE √(1/6+1/3+1/2+1/3) = 1.1547.
// statsmodels 0.13.5 Logit(...).fit(cov_type='cluster', cov_kwds={'groups':
// lead}) on the 14 snapshots gives SEs 1.09255 and 1.32492.
func ExampleClusterRobust() {
	d := calibrate.Data{
		Names: []string{"demo"},
		X:     mat.NewDense(4, 1, []float64{0, 0, 1, 1}),
		Y:     []float64{0, 1, 0, 1},
		W:     []float64{6, 3, 2, 3}, // snapshots per unique row
	}
	// Snapshot by snapshot, lead by lead: its unique row and its lead.
	obs := calibrate.Observations{
		Row:     []int32{1, 3, 3, 0, 0, 0, 3, 0, 2, 0, 0, 1, 1, 2},
		Cluster: []int32{1, 1, 1, 2, 2, 2, 3, 4, 4, 5, 5, 6, 6, 7},
	}
	ctx := context.Background()
	fit, err := calibrate.FitLogit(ctx, d, calibrate.FitOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	robust, err := calibrate.ClusterRobust(ctx, fit, d, obs, calibrate.ClusterOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi := robust.CI(1, 0.95)
	fmt.Printf("weight %.4f\n", robust.Coef[0])
	fmt.Printf("%s SE %.4f, %s SE %.4f over %d leads\n", fit.CovType, fit.SE[1], robust.CovType, robust.SE[1], robust.Clusters)
	fmt.Printf("95%% CI [%.4f, %.4f], p = %.4f\n", lo, hi, robust.PValue(1))
	// Output:
	// weight 1.0986
	// model SE 1.1547, cluster SE 1.3249 over 7 leads
	// 95% CI [-1.4982, 3.6954], p = 0.4070
}
