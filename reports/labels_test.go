package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestLabelsFeature(t *testing.T) {
	l, err := ParseLabels(strings.NewReader("webinar: Webinar (live)\ncompany_size: Staff\n\"attr:title=cxo\": C-level\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		labels   Labels
		in, want string
	}{
		{nil, "attr:company_size=1000+", "Company size: 1000+"},
		{nil, "channel:webinar", "Channel: webinar"},
		{nil, "action:demo_request", "Action: demo request"},
		{nil, "attr:company_size", "Company size"},
		{nil, "value:webinar_attended=[20,30)", "Value of webinar attended: [20,30)"},
		{l, "value:webinar", "Value of Webinar (live)"},
		{nil, "landmark", "landmark"},
		{l, "channel:webinar", "Channel: Webinar (live)"},
		{l, "action:webinar", "Action: Webinar (live)"},
		{l, "attr:company_size=1000+", "Staff: 1000+"},
		{l, "attr:title=cxo", "C-level"},
	} {
		if got := c.labels.Feature(c.in); got != c.want {
			t.Errorf("Feature(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := l.Group("attr:company_size"); got != "Staff" {
		t.Errorf("Group = %q, want Staff", got)
	}
}

func TestParseLabelsErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"- a\n- b\n", "line 1: expected lines of the form name: label"},
		{"a: x\nb:\n  c: d\n", "line 2: expected name: label"},
		{"a: x\nb: \"\"\n", "line 2: empty name or label"},
		{"a: x\nb: y\na: z\n", `line 3: "a" is given twice`},
		{"a: [x\n", "line 1"},
	} {
		_, err := ParseLabels(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseLabels(%q) error %v, want one with %q", c.in, err, c.want)
		}
	}
	if l, err := ParseLabels(strings.NewReader("")); err != nil || len(l) != 0 {
		t.Errorf("empty file: %v, %v", l, err)
	}
}

// TestFunnelPageLabels: a labels file renames channels and actions on the
// funnel page, in the tables, the charts and the summary; without one they
// are shown as written in the data.
func TestFunnelPageLabels(t *testing.T) {
	r := funnelFixture()
	channel, action := r.ByChannel[0].Channel, r.ByAction[0].Action
	var plain, labelled bytes.Buffer
	if err := WriteFunnel(&plain, r, Options{}); err != nil {
		t.Fatal(err)
	}
	l := Labels{channel: "Channel Label X", action: "Action Label Y"}
	if err := WriteFunnel(&labelled, r, Options{Labels: l}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{channel, action} {
		if !strings.Contains(plain.String(), ">"+name+"<") {
			t.Errorf("without labels the page does not show %q as written", name)
		}
	}
	for _, label := range []string{"Channel Label X", "Action Label Y"} {
		if n := strings.Count(labelled.String(), label); n < 3 {
			t.Errorf("%q appears %d times on the labelled page, want it in tables, charts and tooltips", label, n)
		}
	}
	if strings.Contains(labelled.String(), ">"+channel+"<") || strings.Contains(labelled.String(), ">"+action+"<") {
		t.Errorf("the labelled page still shows %q or %q in a table cell", channel, action)
	}
}
