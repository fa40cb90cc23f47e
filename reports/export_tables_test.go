package reports

import (
	"bytes"
	"fmt"
	"testing"
)

// TestTables flattens a small document by hand: top-level scalars and the
// array of strings into "report"; the array of rows into "by_channel" with
// the nested object as rate_num, rate_den; the nested array into
// "by_channel_conversion", each row led by its channel.
func TestTables(t *testing.T) {
	type conv struct {
		Stage string `json:"stage"`
		N     int    `json:"n"`
	}
	type rate struct {
		Num int `json:"num"`
		Den int `json:"den"`
	}
	type row struct {
		Channel    string `json:"channel"`
		Leads      int    `json:"leads"`
		Rate       rate   `json:"rate"`
		Conversion []conv `json:"conversion"`
	}
	doc := struct {
		End       string   `json:"end"`
		Stages    []string `json:"stages"`
		ByChannel []row    `json:"by_channel"`
	}{"2026-06-30", []string{"lead", "mql"}, []row{
		{"web", 10, rate{3, 10}, []conv{{"mql", 3}}},
		{"referral", 4, rate{2, 4}, []conv{{"mql", 2}, {"won", 1}}},
	}}
	tables, err := Tables(doc)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, tb := range tables {
		got += fmt.Sprintf("%s %v %v\n", tb.Name, tb.Columns, tb.Rows)
	}
	want := `report [end stages] [[2026-06-30 ["lead","mql"]]]
by_channel [channel leads rate_num rate_den] [[web 10 3 10] [referral 4 2 4]]
by_channel_conversion [channel stage n] [[web mql 3] [referral mql 2] [referral won 1]]
`
	if got != want {
		t.Errorf("tables:\n%s\nwant:\n%s", got, want)
	}
	var nd bytes.Buffer
	if err := tables[2].WriteNDJSON(&nd); err != nil {
		t.Fatal(err)
	}
	if w := `{"channel":"web","stage":"mql","n":3}
{"channel":"referral","stage":"mql","n":2}
{"channel":"referral","stage":"won","n":1}
`; nd.String() != w {
		t.Errorf("ndjson:\n%s\nwant:\n%s", nd.String(), w)
	}
}
