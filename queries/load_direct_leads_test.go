package queries

import (
	"errors"
	"strings"
	"testing"
)

// TestDirectLeads: a leads file loaded into an empty workspace is checked
// and inserted in one pass (leads, then its attributes) and stores exactly
// what the staged path stores; a lead_id repeated within the file sends it
// back to the staged path, which keeps the file's last row of the lead; a
// bad or future created_at is still refused by line.
func TestDirectLeads(t *testing.T) {
	head := "lead_id,created_at,channel,title,country\n"
	good := "L1,2024-01-01 09:00:00,web,cto,NL\n L2 ,2024-01-02,, ,FR\n"
	cases := []struct {
		name, leads string
		direct      bool   // the one-pass path takes the file (writeFiles succeeds with it), else fails
		line        int    // the line an InputError must name; 0: the load succeeds
		problem     string // part of its problem
		want        string // the stored leads, by hand; "" when refused
	}{
		{"attributes", head + good, true, 0, "",
			"L1 2024-01-01 09:00:00 web|L2 2024-01-02 00:00:00 (none)"},
		{"no attributes", "lead_id,created_at,channel\nL1,2024-01-01,web\nL2,2024-01-02,ads\n", true, 0, "",
			"L1 2024-01-01 00:00:00 web|L2 2024-01-02 00:00:00 ads"},
		{"undated", "lead_id,channel,title\nL1,web,cto\nL2,ads,\n", true, 0, "",
			"L1 undated web|L2 undated ads"},
		// The second row of L1 is a later export of the lead: it wins.
		{"repeated lead", head + good + "L1,2024-01-05 09:00:00,ads,ceo,DE\n", false, 0, "",
			"L1 2024-01-05 09:00:00 ads|L2 2024-01-02 00:00:00 (none)"},
		{"bad timestamp", head + good + "L3,2024-1-05,web,cto,NL\n", false, 4, "timestamp", ""},
		{"empty lead_id", head + good + " ,2024-01-05,web,cto,NL\n", false, 4, "lead_id", ""},
		{"future", head + good + "L3,2099-01-05,web,cto,NL\n", false, 4, "future", ""},
		{"extra field", head + good + "L3,2024-01-05,web,cto,NL,x\n", false, 4, "fields", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			req := LoadRequest{Leads: writeTestFile(t, dir, "leads.csv", tc.leads)}
			_, took, _, err := loadWith(t, req, true)
			if tc.direct && (err != nil || !took) {
				t.Fatalf("one-pass load: took %v, err %v; want it taken", took, err)
			}
			if !tc.direct && err == nil {
				t.Fatal("one-pass load succeeded; want it to send the file back to the staged path")
			}
			s, res, err := loadOnJune1(t, req)
			if tc.line > 0 {
				var ie *InputError
				if !errors.As(err, &ie) || ie.Line != tc.line || !strings.Contains(ie.Error(), tc.problem) {
					t.Fatalf("err = %v; want an InputError on line %d about %q", err, tc.line, tc.problem)
				}
				if c := countsOf(t, s); c.leads != 0 {
					t.Errorf("a refused load stored %+v", c)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			q := "SELECT string_agg(concat_ws(' ', lead_id, coalesce(strftime(created_at, '%Y-%m-%d %H:%M:%S'), 'undated'), channel), '|' ORDER BY lead_id) FROM leads"
			if err := s.DB().QueryRow(q).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("stored leads %s, want %s", got, tc.want)
			}
			staged, _, want, err := loadWith(t, req, false)
			if err != nil {
				t.Fatalf("staged load: %v", err)
			}
			if got := storedRows(t, s); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("load stored\n%s\nstaged load stored\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			d, w := res.Files[0], staged.Files[0]
			d.File, w.File = "", ""
			if d != w {
				t.Errorf("load %+v, staged %+v", d, w)
			}
		})
	}
}
