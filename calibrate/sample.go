package calibrate

import (
	"context"
	"fmt"

	"github.com/funnel-dev/funnel/queries"
)

// leadSample is the share of the store's leads a run reads: every lead, or
// every k-th lead in load order when the store holds more than
// Options.MaxLeads.
type leadSample struct {
	queries.LeadSample
	every    int64
	maxLeads int
}

// chooseSample counts the store's leads and picks k = ⌈leads / maxLeads⌉
// (1 when they fit or maxLeads < 0).
func chooseSample(ctx context.Context, st *queries.Store, maxLeads int) (leadSample, error) {
	n, err := st.FeatureLeadSample(ctx, 1)
	if err != nil {
		return leadSample{}, fmt.Errorf("calibrate: %w", err)
	}
	s := leadSample{LeadSample: n, every: 1, maxLeads: maxLeads}
	if maxLeads <= 0 || n.Total <= int64(maxLeads) {
		return s, nil
	}
	s.every = (n.Total + int64(maxLeads) - 1) / int64(maxLeads)
	if s.LeadSample, err = st.FeatureLeadSample(ctx, s.every); err != nil {
		return leadSample{}, fmt.Errorf("calibrate: %w", err)
	}
	return s, nil
}

// record writes the cap into the result's options and, for a sample, the
// warning that says the run saw a share of the leads.
func (s leadSample) record(res *Result) {
	res.Options.MaxLeads = s.maxLeads
	if s.every > 1 {
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"calibrated on a sample: 1 lead in every %d in load order, %d of %d leads (more than --max-leads %d); counts are of the sample, MQLs per month are scaled to every lead; --max-leads 0 reads every lead (slower, more memory)",
			s.every, s.Sampled, s.Total, s.maxLeads))
	}
}

// scaleMonths makes the test period's months count only as the sample's
// share of the leads, as the random split does with the test share: MQLs
// per month, counted on the sample's leads and divided by them, then
// estimate the flow of every lead.
func (s leadSample) scaleMonths(res *Result) {
	if s.every > 1 && s.Total > 0 {
		res.Options.TestMonths *= float64(s.Sampled) / float64(s.Total)
	}
}
