package gen

import (
	"context"
	"testing"
)

// BenchmarkGenerate writes a full data set (24 months) of N leads to a
// temporary folder and reports events written per second.
func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name  string
		leads int
	}{{"N=1e5", 100_000}, {"N=1e6", 1_000_000}} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			var events int64
			for b.Loop() {
				sum, err := Generate(context.Background(), Config{Leads: bc.leads}, dir)
				if err != nil {
					b.Fatal(err)
				}
				events = sum.Events
			}
			b.ReportMetric(float64(events), "events")
			b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
