package reports

import (
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
