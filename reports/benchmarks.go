package reports

import "github.com/funnel-dev/funnel/analysis"

// referenceFor returns the report's published reference for the step
// from→to, if any (analysis.Report.References).
func referenceFor(rep *analysis.Report, from, to string) (analysis.Reference, bool) {
	for _, r := range rep.References {
		if r.From == from && r.To == to {
			return r, true
		}
	}
	return analysis.Reference{}, false
}
