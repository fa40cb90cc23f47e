package queries

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRefusesBadInput loads each kind of bad file on top of the messy
// fixture and checks the exact message (file, line, column, problem) and
// that the database is unchanged.
func TestLoadRefusesBadInput(t *testing.T) {
	s := openTestStore(t)
	mustLoad(t, s, messyRequest())
	before := countsOf(t, s)
	dir := t.TempDir()

	// Binary fixtures made with DuckDB itself.
	parquetAsCSV := filepath.Join(dir, "events_parquet.csv")
	copyTo(t, s, "SELECT 'L1' AS lead_id, TIMESTAMP '2024-01-01' AS occurred_at, 'x' AS action", parquetAsCSV, "parquet")
	badParquet := filepath.Join(dir, "events.parquet")
	copyTo(t, s, "SELECT * FROM (VALUES ('L1', '2024-01-01', 'a'), ('L1', '2024-01-02', 'b'), ('L1', 'soon', 'c')) t(lead_id, occurred_at, action)", badParquet, "parquet")
	gzNamedCSV := filepath.Join(dir, "gz_events.csv")
	copyTo(t, s, "SELECT 'L1' AS lead_id, '2024-01-01' AS occurred_at, 'x' AS action", gzNamedCSV+".gz", "csv, COMPRESSION gzip")
	if err := os.Rename(gzNamedCSV+".gz", gzNamedCSV); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		kind Kind
		path string // a prepared file, or
		file string // a file name and
		body string // its content
		want string // the message without the leading path
	}{
		{name: "missing required column", kind: KindEvents, file: "events.csv",
			body: "lead_id,when,action\nL1,2024-01-01,x\n",
			want: " line 1: missing required column occurred_at (columns found: lead_id, when, action)"},
		{name: "unparsable timestamp on line 4", kind: KindEvents, file: "events.csv",
			body: "lead_id,occurred_at,action\nL1,2024-01-01,a\nL1,2024-01-02,b\nL1,2024-13-45,c\nL1,2024-01-04,d\n",
			want: ` line 4: column occurred_at: cannot parse "2024-13-45" as a timestamp`},
		{name: "unparsable number", kind: KindEvents, file: "events.csv",
			body: "lead_id,occurred_at,action,value\nL1,2024-01-01,a,3\nL1,2024-01-02,b,abc\n",
			want: ` line 3: column value: cannot parse "abc" as a number`},
		{name: "decimal comma is not a number", kind: KindOutcomes, file: "outcomes.csv",
			body: "lead_id;closed_at;outcome;amount\nL1;2024-03-01;won;1200,50\n",
			want: ` line 2: column amount: cannot parse "1200,50" as a number`},
		{name: "empty lead_id", kind: KindStages, file: "stages.csv",
			body: "lead_id,stage,entered_at\n,mql,2024-01-01\n",
			want: " line 2: column lead_id: empty value"},
		{name: "blank lead_id", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel\nL9,2024-01-01,web\n   ,2024-01-01,web\n",
			want: " line 3: column lead_id: empty value"},
		{name: "unknown outcome", kind: KindOutcomes, file: "outcomes.csv",
			body: "lead_id,closed_at,outcome\nL1,2024-03-01,won\nL2,2024-03-02,closed\n",
			want: ` line 3: column outcome: unknown outcome "closed" (want won or lost)`},
		{name: "two bad rows counts the rest", kind: KindEvents, file: "events.csv",
			body: "lead_id,occurred_at,action\nL1,yesterday,a\nL1,2024-01-02,b\nL1,tomorrow,c\n",
			want: ` line 2: column occurred_at: cannot parse "yesterday" as a timestamp (1 more row has a problem)`},
		{name: "line numbers count quoted line breaks and blank lines", kind: KindEvents, file: "events.csv",
			// line 1 header; lines 2-3 one record with a quoted line break;
			// line 4 blank; line 5 the bad record.
			body: "lead_id,occurred_at,action\n\"L\n1\",2024-01-01,a\n\nL2,2024-02-30,b\n",
			want: ` line 5: column occurred_at: cannot parse "2024-02-30" as a timestamp`},
		{name: "row with too many fields", kind: KindEvents, file: "events.csv",
			body: "lead_id,occurred_at,action\nL1,2024-01-01,a\nL2,2024-01-02,b\nL3,2024-01-03,c,EXTRA\nL4,2024-01-04,d\n",
			want: " line 4: expected 3 fields like the header, found 4"},
		{name: "parquet file named csv", kind: KindEvents, path: parquetAsCSV,
			want: ": is a Parquet file, not CSV; name it .parquet"},
		{name: "csv file named parquet", kind: KindEvents, file: "events2.parquet",
			body: "lead_id,occurred_at,action\nL1,2024-01-01,a\n",
			want: ": not a Parquet file (it does not start with PAR1)"},
		{name: "csv file named json", kind: KindEvents, file: "events.json",
			body: "lead_id,occurred_at,action\nL1,2024-01-01,a\n",
			want: ": not JSON (it does not start with [ or {)"},
		{name: "gzip file without .gz", kind: KindEvents, path: gzNamedCSV,
			want: ": is gzip-compressed, not plain CSV; name it gz_events.csv.gz"},
		{name: "excel workbook", kind: KindLeads, file: "leads.xlsx", body: "PK\x03\x04rest",
			want: ": an Excel workbook cannot be loaded; export the sheet as CSV"},
		{name: "empty file", kind: KindLeads, file: "leads.csv", body: "",
			want: ": file is empty"},
		{name: "white space only", kind: KindLeads, file: "leads.csv", body: " \n\r\n\t\n",
			want: ": file is empty"},
		{name: "empty json array", kind: KindEvents, file: "events.json", body: "[]\n",
			want: ": has no records"},
		{name: "latin-1 on line 3", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel,city\nL8,2024-01-01,web,Paris\nL9,2024-01-01,web,Br\xfcssel\n",
			want: " line 3: not valid UTF-8 (save the file as UTF-8)"},
		{name: "utf-16", kind: KindLeads, file: "leads.csv", body: "\xff\xfel\x00e\x00",
			want: " line 1: is UTF-16 encoded; save it as UTF-8"},
		{name: "ndjson line is the record", kind: KindEvents, file: "events.ndjson",
			body: `{"lead_id":"L1","occurred_at":"2024-01-01","action":"a"}` + "\n" + `{"lead_id":"L1","occurred_at":"01/02/2024","action":"b"}` + "\n",
			want: ` line 2: column occurred_at: cannot parse "01/02/2024" as a timestamp`},
		{name: "json array says row", kind: KindEvents, file: "events.json",
			body: `[{"lead_id":"L1","occurred_at":"2024-01-01","action":"a"},` + "\n" + `{"lead_id":"","occurred_at":"2024-01-02","action":"b"}]`,
			want: " row 2: column lead_id: empty value"},
		{name: "parquet says row", kind: KindEvents, path: badParquet,
			want: ` row 3: column occurred_at: cannot parse "soon" as a timestamp`},
		{name: "mapped column is named with its file name", kind: KindLeads, file: "contacts.csv",
			body: "Record ID,Create Date,Original Source\n101,2024-01-01,ORGANIC_SEARCH\n102,01.02.2024,PAID_SEARCH\n",
			want: ` line 3: column created_at ("Create Date" in the file): cannot parse "01.02.2024" as a timestamp`},
		{name: "two columns give one name", kind: KindLeads, file: "contacts.csv",
			body: "lead_id,Record ID,Create Date,Original Source\nL1,101,2024-01-01,web\n",
			want: ` line 1: columns "lead_id" and "Record ID" both give column lead_id`},
		{name: "latin-1 after the CSV sniffer's sample", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel,city\n" + strings.Repeat("L1,2024-01-01,web,Paris\n", 30000) + "L2,2024-01-01,web,Br\xfcssel\n",
			want: " line 30002: not valid UTF-8 (save the file as UTF-8)"},
		{name: "too many fields after a quoted line break", kind: KindEvents, file: "events.csv",
			// lines 2-4 one record; line 5 has a fourth field
			body: "lead_id,occurred_at,action\n\"L\n\n1\",2024-01-01,a\nL2,2024-01-02,b,EXTRA\n",
			want: " line 5: expected 3 fields like the header, found 4"},
		{name: "json bad date after many good ones", kind: KindEvents, file: "events.ndjson",
			body: strings.Repeat(`{"lead_id":"L1","occurred_at":"2024-01-01","action":"a"}`+"\n", 25000) + `{"lead_id":"L1","occurred_at":"2024-13-45","action":"a"}` + "\n",
			want: ` line 25001: column occurred_at: cannot parse "2024-13-45" as a timestamp`},
		{name: "unknown extension", kind: KindLeads, file: "leads.xml", body: "<a/>",
			want: `: unknown file type ".xml": name it .csv, .tsv, .txt, .parquet, .json, .ndjson or .jsonl (text formats may end in .gz)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = writeTestFile(t, t.TempDir(), tc.file, tc.body)
			}
			req := LoadRequest{}
			setKindPath(&req, tc.kind, path)
			if tc.file == "contacts.csv" {
				req.Mapping = Mapping{Leads: map[string]string{"Record ID": "lead_id", "Create Date": "created_at", "Original Source": "channel"}}
			}
			_, err := s.Load(context.Background(), req)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want an *InputError", err, err)
			}
			if got, want := err.Error(), path+tc.want; got != want {
				t.Errorf("message\n got %s\nwant %s", got, want)
			}
			if after := countsOf(t, s); after != before {
				t.Errorf("database changed: %+v, was %+v", after, before)
			}
		})
	}
}

// TestLoadIsAllOrNothing loads good leads and events with a bad outcomes
// file last: nothing of the earlier files may be committed.
func TestLoadIsAllOrNothing(t *testing.T) {
	s := openTestStore(t)
	dir := t.TempDir()
	req := messyRequest()
	req.Outcomes = writeTestFile(t, dir, "outcomes.csv", "lead_id,closed_at,outcome\nL1,2024-03-01,won\nL1,2024-03-02,maybe\n")
	_, err := s.Load(context.Background(), req)
	want := req.Outcomes + ` line 3: column outcome: unknown outcome "maybe" (want won or lost)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if got := countsOf(t, s); got != (tableCounts{}) {
		t.Fatalf("counts after a failed load = %+v, want all zero", got)
	}
	// The same store still loads afterwards (no staging table left over).
	mustLoad(t, s, messyRequest())
	if got := countsOf(t, s); got.leads != 4 {
		t.Fatalf("leads after a good load = %d, want 4", got.leads)
	}
}

func TestLoadNothing(t *testing.T) {
	s := openTestStore(t)
	if _, err := s.Load(context.Background(), LoadRequest{}); !errors.Is(err, ErrNothingToLoad) {
		t.Fatalf("err = %v, want ErrNothingToLoad", err)
	}
}
