package queries

import (
	"context"
	"strings"
	"testing"
)

// TestMappingConstants: a deals-only file (winners, no outcome column)
// loads with the constant outcome won; a leads file without dates takes a
// constant created_at and a constant attribute.
func TestMappingConstants(t *testing.T) {
	s := openTestStore(t)
	dir := t.TempDir()
	m, err := ParseMapping(strings.NewReader(`leads:
  Contact: lead_id
  Source: channel
  created_at: "=2024-01-01"
  region: "=EMEA"
outcomes:
  Contact: lead_id
  Close Date: closed_at
  outcome: "=won"
`))
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, LoadRequest{
		Leads:    writeTestFile(t, dir, "leads.csv", "Contact,Source\nA,web\nB,event\n"),
		Outcomes: writeTestFile(t, dir, "deals.csv", "Contact,Close Date,Amount\nA,2024-03-01,5000\n"),
		Mapping:  m,
	})
	if got := strings.Join(outcomesOf(t, s), ", "); got != "A won 2024-03-01" {
		t.Errorf("outcomes = %s, want A won 2024-03-01", got)
	}
	var dated, emea int
	if err := s.DB().QueryRow("SELECT count(*) FROM leads WHERE created_at = TIMESTAMP '2024-01-01'").Scan(&dated); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow("SELECT count(*) FROM lead_attributes WHERE name = 'region' AND value = 'EMEA'").Scan(&emea); err != nil {
		t.Fatal(err)
	}
	if dated != 2 || emea != 2 {
		t.Errorf("%d leads dated 2024-01-01 and %d with region EMEA, want 2 and 2", dated, emea)
	}
}

// TestMappingConstantsRefused: a constant that does not parse, and a file
// column giving the column a constant sets, name the file and the line.
func TestMappingConstantsRefused(t *testing.T) {
	cases := []struct {
		name, mapping, body, want string
	}{
		{name: "bad date", mapping: "leads:\n  created_at: \"=2024-13-01\"\n",
			body: "lead_id,channel\nA,web\n",
			want: `leads.csv line 2: column created_at (the mapping's constant): cannot parse "2024-13-01" as a timestamp`},
		{name: "column and constant", mapping: "leads:\n  Created: created_at\n  created_at: \"=2024-01-01\"\n",
			body: "lead_id,Created,channel\nA,2024-02-01,web\n",
			want: `leads.csv line 1: column "Created" gives column created_at, which the mapping sets to the constant "2024-01-01"; drop one of them`},
		{name: "bad outcome", mapping: "outcomes:\n  outcome: \"=winner\"\n",
			body: "lead_id,closed_at\nA,2024-01-01\n",
			want: `outcomes.csv line 2: column outcome (the mapping's constant): unknown outcome "winner" (want won or lost)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseMapping(strings.NewReader(tc.mapping))
			if err != nil {
				t.Fatal(err)
			}
			s := openTestStore(t)
			req := LoadRequest{Mapping: m}
			if strings.HasPrefix(tc.mapping, "outcomes") {
				req.Outcomes = writeTestFile(t, t.TempDir(), "outcomes.csv", tc.body)
			} else {
				req.Leads = writeTestFile(t, t.TempDir(), "leads.csv", tc.body)
			}
			_, err = s.Load(context.Background(), req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
