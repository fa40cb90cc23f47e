package gen

import "testing"

func TestCurrentRulesMatchSpecs(t *testing.T) {
	r := Current()
	// Values from spec.go's tables: demo_request 35 points, referral 15,
	// threshold 80; organic_search scores 0 and is left out.
	if r.Actions["demo_request"] != 35 || r.Actions["unsubscribe"] != -15 {
		t.Errorf("actions = %v", r.Actions)
	}
	if r.Channels["referral"] != 15 {
		t.Errorf("channels = %v", r.Channels)
	}
	if _, ok := r.Channels["organic_search"]; ok {
		t.Errorf("organic_search (0 points) listed: %v", r.Channels)
	}
	if r.Threshold != 80 {
		t.Errorf("threshold = %d, want 80", r.Threshold)
	}
	if len(r.Actions) != int(numActions) {
		t.Errorf("%d actions, want %d", len(r.Actions), numActions)
	}
	if r.Attributes["title"]["manager"] != 5 {
		t.Errorf("title points = %v", r.Attributes["title"])
	}
}
