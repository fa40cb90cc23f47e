package oracle_test

import (
	"fmt"

	"github.com/funnel-dev/funnel/internal/gen/oracle"
)

// Two winners scored 0.35 and 0.8 against two losers scored 0.1 and 0.4:
// 0.35 beats 0.1 only, 0.8 beats both, so 3 of the 4 pairs are ranked
// right. A tie between a winner and a loser counts one half.
func ExampleAUC() {
	fmt.Println(oracle.AUC([]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}))
	fmt.Println(oracle.AUC([]float64{0.5, 0.5, 0.2}, []bool{true, false, false}))
	// Output:
	// 0.75
	// 0.75
}
