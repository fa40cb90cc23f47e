package queries

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// contentsOf is a digest of every workspace table's rows (order-free), so
// that a test can tell a workspace left exactly as it was from one whose
// rows changed with the same counts.
func contentsOf(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range []string{"leads", "lead_attributes", "events", "stages", "outcomes", "loads"} {
		var n int64
		var digest string
		q := "SELECT count(*), md5(coalesce(string_agg(r, '|' ORDER BY r), '')) FROM (SELECT t::VARCHAR AS r FROM " + QuoteIdent(table) + " AS t)"
		if err := s.DB().QueryRow(q).Scan(&n, &digest); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out[table] = fmt.Sprintf("%d rows, md5 %s", n, digest)
	}
	return out
}

// refuseCase is a file the loader must refuse with the message want
// (without the leading path).
type refuseCase struct {
	name string
	kind Kind
	path string // a prepared file, or
	file string // a file name and
	body string // its content
	want string
	// mapping renames the file's columns; the zero value renames nothing
	mapping Mapping
}

// loadNow is the moment of the loads in these tests.
var loadNow = time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)

// checkRefused loads each case on top of the messy fixture and checks the
// exact message and that every table's content is unchanged.
func checkRefused(t *testing.T, tests []refuseCase) {
	t.Helper()
	s := openTestStore(t)
	mustLoad(t, s, messyRequest())
	before := contentsOf(t, s)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = writeTestFile(t, t.TempDir(), tc.file, tc.body)
			}
			req := LoadRequest{Now: func() time.Time { return loadNow }, Mapping: tc.mapping}
			setKindPath(&req, tc.kind, path)
			_, err := s.Load(context.Background(), req)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want an *InputError", err, err)
			}
			if got, want := err.Error(), path+tc.want; got != want {
				t.Errorf("message\n got %s\nwant %s", got, want)
			}
			after := contentsOf(t, s)
			for table, b := range before {
				if after[table] != b {
					t.Errorf("table %s changed: %s, was %s", table, after[table], b)
				}
			}
		})
	}
}

// gzipCut returns body gzip-compressed and flushed, cut right after the
// flush that follows its first keep bytes: a valid deflate stream of whole
// rows without the gzip trailer, which DuckDB reads as a complete file.
func gzipCut(t *testing.T, body string, keep int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(body[:keep])); err != nil {
		t.Fatal(err)
	}
	if err := zw.Flush(); err != nil {
		t.Fatal(err)
	}
	cut := b.Len()
	if _, err := zw.Write([]byte(body[keep:])); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()[:cut]
}

// TestLoadRefusesTruncatedInput (issue 13 item 3): a gzip file without its
// trailer and a JSON array without its closing bracket are refused.
func TestLoadRefusesTruncatedInput(t *testing.T) {
	dir := t.TempDir()
	var rows strings.Builder
	rows.WriteString("lead_id,occurred_at,action\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&rows, "L1,2024-01-01,a%d\n", i)
	}
	body := rows.String()
	half := strings.Index(body, "L1,2024-01-01,a1000\n") // a row boundary
	cut := filepath.Join(dir, "cut_events.csv.gz")
	if err := writeFileBytes(cut, gzipCut(t, body, half)); err != nil {
		t.Fatal(err)
	}
	full, err := gzipWhole(body)
	if err != nil {
		t.Fatal(err)
	}
	damaged := append([]byte(nil), full...)
	damaged[len(damaged)-8] ^= 0xff // the CRC-32 of the trailer
	bad := filepath.Join(dir, "crc_events.csv.gz")
	if err := writeFileBytes(bad, damaged); err != nil {
		t.Fatal(err)
	}

	recs := make([]string, 40)
	for i := range recs {
		recs[i] = fmt.Sprintf(`{"lead_id":"L1","occurred_at":"2024-01-01","action":"a%d"}`, i)
	}
	checkRefused(t, []refuseCase{
		{name: "gzip cut at a flush point", kind: KindEvents, path: cut,
			want: ": gzip file is cut short: it ends before its trailer (copy or download it again)"},
		{name: "gzip with a wrong checksum", kind: KindEvents, path: bad,
			want: ": gzip file is damaged: its checksum or length does not match its content (copy or download it again)"},
		{name: "json array cut after a comma", kind: KindEvents, file: "events.json",
			// DuckDB reads these 20 records as a complete array
			body: "[" + strings.Join(recs[:20], ",\n") + ",\n",
			want: ": JSON array is not closed: the file does not end with ] (is it cut short?)"},
		{name: "json array cut after a record", kind: KindEvents, file: "events.json",
			body: "[" + strings.Join(recs[:20], ",\n") + "\n",
			want: ": JSON array is not closed: the file does not end with ] (is it cut short?)"},
	})

	// The same files whole load: the checks refuse only what is cut.
	s := openTestStore(t)
	wholeGz := filepath.Join(dir, "events.csv.gz")
	if err := writeFileBytes(wholeGz, full); err != nil {
		t.Fatal(err)
	}
	wholeJSON := writeTestFile(t, dir, "events.json", "["+strings.Join(recs, ",\n")+"]\n")
	for path, want := range map[string]int64{wholeGz: 2000, wholeJSON: 40} {
		res := mustLoad(t, s, LoadRequest{Events: path})
		if got := res.Files[0].Rows; got != want {
			t.Errorf("%s: %d rows, want %d", path, got, want)
		}
	}
}

func gzipWhole(body string) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(body)); err != nil {
		return nil, err
	}
	err := zw.Close()
	return b.Bytes(), err
}

// TestLoadRefusesFutureTimestamps (issue 13 item 4): a timestamp more than
// a day after the moment of the load (loadNow, 2025-01-15 12:00 UTC) is
// refused with its file, line and column; one within the day is kept.
func TestLoadRefusesFutureTimestamps(t *testing.T) {
	dir := t.TempDir()
	leadsParquet := filepath.Join(dir, "leads.parquet")
	s := openTestStore(t)
	copyTo(t, s, "SELECT * FROM (VALUES ('L1', TIMESTAMP '2024-01-01', 'web'), ('L2', TIMESTAMP '9999-12-31', 'web')) t(lead_id, created_at, channel)", leadsParquet, "parquet")
	checkRefused(t, []refuseCase{
		{name: "lead created on 9999-12-31", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel\nL1,2024-01-01,web\nL2,9999-12-31,web\n",
			want: " line 3: column created_at: 9999-12-31 00:00:00 UTC is after the moment of the load, 2025-01-15 12:00:00 UTC (1 day of clock skew allowed); a CRM cannot export the future"},
		{name: "one second past the margin, with an offset", kind: KindEvents, file: "events.csv",
			// 2025-01-16T14:00:01+02:00 is 12:00:01 UTC, a day and a second after the load
			body: "lead_id,occurred_at,action\nL1,2025-01-16T12:00:00Z,a\nL1,2025-01-16T14:00:01+02:00,b\nL1,2026-01-01,c\n",
			want: " line 3: column occurred_at: 2025-01-16 12:00:01 UTC is after the moment of the load, 2025-01-15 12:00:00 UTC (1 day of clock skew allowed); a CRM cannot export the future (1 more row has a problem)"},
		{name: "parquet timestamp", kind: KindLeads, path: leadsParquet,
			want: " row 2: column created_at: 9999-12-31 00:00:00 UTC is after the moment of the load, 2025-01-15 12:00:00 UTC (1 day of clock skew allowed); a CRM cannot export the future"},
		{name: "json stage", kind: KindStages, file: "stages.ndjson",
			body: `{"lead_id":"L1","stage":"mql","entered_at":"2024-01-01"}` + "\n" + `{"lead_id":"L1","stage":"sql","entered_at":"2030-06-01T00:00:00Z"}` + "\n",
			want: " line 2: column entered_at: 2030-06-01 00:00:00 UTC is after the moment of the load, 2025-01-15 12:00:00 UTC (1 day of clock skew allowed); a CRM cannot export the future"},
		{name: "outcome", kind: KindOutcomes, file: "outcomes.csv",
			body: "lead_id;closed_at;outcome\nL1;2025-02-01;won\n",
			want: " line 2: column closed_at: 2025-02-01 00:00:00 UTC is after the moment of the load, 2025-01-15 12:00:00 UTC (1 day of clock skew allowed); a CRM cannot export the future"},
	})

	// Exactly a day after the load is within the margin and is kept.
	path := writeTestFile(t, dir, "events.csv", "lead_id,occurred_at,action\nL1,2025-01-16T12:00:00Z,a\n")
	res, err := s.Load(context.Background(), LoadRequest{Events: path, Now: func() time.Time { return loadNow }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files[0].Added != 1 {
		t.Fatalf("added %d events, want 1", res.Files[0].Added)
	}
}

// TestLoadRefusesNonScalarValues (issue 13 item 5): required and contract
// columns hold one plain value per row; NaN and infinities are refused in
// Parquet as in CSV; a number whose dots may separate thousands in a
// ;-separated file is refused, not read as a decimal; duplicate column names
// (after case folding and mapping) and an unclosed quote are refused.
func TestLoadRefusesNonScalarValues(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t)
	nanOutcomes := filepath.Join(dir, "outcomes.parquet")
	copyTo(t, s, "SELECT * FROM (VALUES ('L1', TIMESTAMP '2024-01-01', 'won', 5.0::DOUBLE), ('L2', TIMESTAMP '2024-01-02', 'won', 'nan'::DOUBLE)) t(lead_id, closed_at, outcome, amount)", nanOutcomes, "parquet")
	infEvents := filepath.Join(dir, "inf_events.parquet") // events are read in place, as a view
	copyTo(t, s, "SELECT * FROM (VALUES ('L1', TIMESTAMP '2024-01-01', 'a', 1.0::DOUBLE), ('L1', TIMESTAMP '2024-01-02', 'b', NULL), ('L1', TIMESTAMP '2024-01-03', 'c', '-inf'::DOUBLE)) t(lead_id, occurred_at, action, value)", infEvents, "parquet")
	listChannel := filepath.Join(dir, "list_leads.parquet")
	copyTo(t, s, "SELECT 'L1' AS lead_id, TIMESTAMP '2024-01-01' AS created_at, ['web', 'paid'] AS channel", listChannel, "parquet")
	structLead := filepath.Join(dir, "struct_events.parquet")
	copyTo(t, s, "SELECT {'id': 'J2'} AS lead_id, TIMESTAMP '2024-01-01' AS occurred_at, 'a' AS action", structLead, "parquet")
	// DuckDB writes a repeated name as Channel_1; write xhannel and patch
	// the name (same length) to get a file really holding channel and Channel.
	dupParquet := filepath.Join(dir, "dup_leads.parquet")
	copyTo(t, s, "SELECT 'L1' AS lead_id, TIMESTAMP '2024-01-01' AS created_at, 'web' AS channel, 'x' AS xhannel", dupParquet, "parquet")
	b, err := readFileBytes(dupParquet)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeFileBytes(dupParquet, bytes.ReplaceAll(b, []byte("xhannel"), []byte("Channel"))); err != nil {
		t.Fatal(err)
	}

	const nested = " is a nested value (an object or a list), not a single text, number or date"
	crm := Mapping{Leads: map[string]string{"Record ID": "lead_id", "Create Date": "created_at", "Original Source": "channel"}}
	checkRefused(t, []refuseCase{
		// nested values
		{name: "json object among text ids", kind: KindLeads, file: "leads.ndjson",
			body: `{"lead_id":"L1","created_at":"2024-01-01","channel":"web"}` + "\n" + `{"lead_id":{"id":"J2"},"created_at":"2024-01-01","channel":"web"}` + "\n",
			want: ` line 2: column lead_id: {"id":"J2"}` + nested},
		{name: "json objects only", kind: KindLeads, file: "leads.ndjson",
			body: `{"lead_id":{"id":"J2"},"created_at":"2024-01-01","channel":"web"}` + "\n",
			want: ` line 1: column lead_id: {"id":"J2"}` + nested},
		{name: "json array record with a list", kind: KindStages, file: "stages.json",
			body: `[{"lead_id":"L1","stage":"mql","entered_at":"2024-01-01"},` + "\n" + `{"lead_id":"L1","stage":["sql","sal"],"entered_at":"2024-01-02"}]`,
			want: ` row 2: column stage: ["sql","sal"]` + nested},
		{name: "parquet list", kind: KindLeads, path: listChannel,
			want: ` row 1: column channel: ["web","paid"]` + nested},
		{name: "parquet struct read in place", kind: KindEvents, path: structLead,
			want: ` row 1: column lead_id: {"id":"J2"}` + nested},
		// NaN and infinities
		{name: "parquet NaN amount", kind: KindOutcomes, path: nanOutcomes,
			want: ` row 2: column amount: "nan" is not a finite number`},
		{name: "parquet -inf value read in place", kind: KindEvents, path: infEvents,
			want: ` row 3: column value: "-inf" is not a finite number`},
		{name: "csv NaN amount", kind: KindOutcomes, file: "outcomes.csv",
			body: "lead_id,closed_at,outcome,amount\nL1,2024-03-01,won,5\nL2,2024-03-01,won,NaN\n",
			want: ` line 3: column amount: "NaN" is not a finite number`},
		// separators
		{name: "thousands dot in a semicolon file", kind: KindOutcomes, file: "outcomes.csv",
			body: "lead_id;closed_at;outcome;amount\nL1;2024-03-01;won;20.9\nL2;2024-03-01;won;20.900\n",
			want: ` line 3: column amount: "20.900" is ambiguous in a file separated by ";": its dots may separate thousands (20900) or decimals; write numbers without thousands separators`},
		{name: "two thousands dots in a semicolon file", kind: KindEvents, file: "events.csv",
			body: "lead_id;occurred_at;action;value\nL1;2024-03-01;a;-1.234.567\n",
			want: ` line 2: column value: "-1.234.567" is ambiguous in a file separated by ";": its dots may separate thousands (-1234567) or decimals; write numbers without thousands separators`},
		// duplicate names
		{name: "same name in two cases", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel,Channel\nL1,2024-01-01,web,paid\n",
			want: ` line 1: columns "channel" and "Channel" both give column channel`},
		{name: "required column twice", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,lead_id,channel\nL1,2024-01-01,L2,web\n",
			want: ` line 1: column "lead_id" appears twice`},
		{name: "attribute twice", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel,Title,TITLE\nL1,2024-01-01,web,CEO,CFO\n",
			want: ` line 1: columns "Title" and "TITLE" both give column title`},
		{name: "mapped name and its target in another case", kind: KindLeads, file: "contacts.csv", mapping: crm,
			body: "Record ID,Create Date,Original Source,LEAD_ID\n101,2024-01-01,web,L1\n",
			want: ` line 1: columns "Record ID" and "LEAD_ID" both give column lead_id`},
		{name: "json keys in two cases", kind: KindLeads, file: "leads.ndjson",
			body: `{"lead_id":"a","Lead_ID":"b","created_at":"2024-01-01","channel":"web"}` + "\n",
			want: `: columns "lead_id" and "Lead_ID" both give column lead_id`},
		{name: "parquet names in two cases", kind: KindLeads, path: dupParquet,
			want: `: columns "channel" and "Channel" both give column channel`},
		// quotes
		{name: "unclosed quote", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel\nL1,2024-01-01,web\nL2,2024-01-01,\"web\nL3,2024-01-01,web\n",
			want: ` line 3: a quoted field starts on this line and is never closed (a closing " is missing)`},
		{name: "unclosed quote among quoted fields", kind: KindLeads, file: "leads.csv",
			// the sniffer gives up quoting for this file and splits line 2 at its comma
			body: "lead_id,created_at,channel\nL1,2024-01-01,\"web, paid\"\nL2,2024-01-01,\"web\nL3,2024-01-01,\"web\"\nL4,2024-01-01,\"web\"\n",
			want: ` line 3: a quoted field starts on this line and is never closed (a closing " is missing)`},
	})
}

// TestLoadKeepsLegalLookalikes: what the checks of issue 13 item 5 refuse
// has legal neighbours, which load as written.
func TestLoadKeepsLegalLookalikes(t *testing.T) {
	s := openTestStore(t)
	dir := t.TempDir()
	req := LoadRequest{
		Leads: writeTestFile(t, dir, "leads.csv",
			"lead_id,created_at,channel,channel_1\nL1,2024-01-01,5\" monitor,a\n"),
		Events: writeTestFile(t, dir, "events.ndjson",
			`{"lead_id":1,"occurred_at":"2024-01-01","action":"a","value":20.900}`+"\n"+`{"lead_id":"L1","occurred_at":"2024-01-02","action":"b"}`+"\n"),
		Outcomes: writeTestFile(t, dir, "outcomes.csv",
			"lead_id;closed_at;outcome;amount\nL1;2024-03-01;won;20.9\nL2;2024-03-01;won;0.500\nL3;2024-03-01;lost;1200\n"),
	}
	mustLoad(t, s, req)
	got := map[string]string{}
	for name, q := range map[string]string{
		"leads":      "SELECT string_agg(lead_id || '|' || channel, ',') FROM leads",
		"attributes": "SELECT string_agg(name || '=' || value, ',') FROM lead_attributes",
		"events":     "SELECT string_agg(lead_id || '|' || coalesce(value::VARCHAR, '-'), ',' ORDER BY occurred_at) FROM events",
		"outcomes":   "SELECT string_agg(lead_id || '|' || amount::VARCHAR, ',' ORDER BY lead_id) FROM outcomes",
	} {
		var v string
		if err := s.DB().QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got[name] = v
	}
	want := map[string]string{
		"leads":      `L1|5" monitor`,            // a quote inside a field is text
		"attributes": "channel_1=a",              // a real column named like DuckDB's renaming
		"events":     "1|20.9,L1|-",              // JSON numbers are numbers; a number id is text
		"outcomes":   "L1|20.9,L2|0.5,L3|1200.0", // one or two decimals, or a leading 0, are not thousands
	}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("%s = %q, want %q", k, got[k], want[k])
		}
	}
}

// TestLoadMessages (issue 13 item 8): the messages of files DuckDB's
// reader fails on or reports unclearly name the line and the problem, count
// rows, and repeat at most 200 characters of the file.
func TestLoadMessages(t *testing.T) {
	var late strings.Builder
	late.WriteString("lead_id,created_at,channel\r\n")
	for i := 0; i < 30000; i++ { // past the sniffer's sample of 20,480 rows
		fmt.Fprintf(&late, "L%d,2024-01-01,web\r\n", i)
	}
	late.WriteString("LX,2024-01-01,web\nLY,2024-01-01,web\r\n") // line 30002 ends in LF

	// c000, c001, …: each name and its ", " take 6 characters, so the first
	// 200 are the names c000…c032 (198 characters with their commas), a
	// comma and space, and "c0" of c033.
	var names, shown []string
	for i := 0; i < 700; i++ {
		names = append(names, fmt.Sprintf("c%03d", i))
	}
	for i := 0; i < 33; i++ {
		shown = append(shown, names[i])
	}
	long := strings.Repeat("x", 20000)
	checkRefused(t, []refuseCase{
		{name: "mixed line endings in the sniffer's sample", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel\r\nL1,2024-01-01,web\r\nL2,2024-01-01,web\nL3,2024-01-01,web\r\n",
			want: " line 3: line ends with LF but line 1 with CRLF: the file mixes line endings (save it with one kind)"},
		{name: "mixed line endings past the sample", kind: KindLeads, file: "leads.csv", body: late.String(),
			want: " line 30002: line ends with LF but line 1 with CRLF: the file mixes line endings (save it with one kind)"},
		{name: "rows with extra fields are counted once", kind: KindLeads, file: "leads.csv",
			// line 2 has 3 extra fields, line 3 one missing, line 4 one extra
			body: "lead_id,created_at,channel\nL1,2024-01-01,web,x,y,z\nL2,2024-01-01\nL3,2024-01-01,a,b\nL4,2024-01-01,web\n",
			want: " line 2: expected 3 fields like the header, found 6 (2 more rows have problems)"},
		{name: "a 20 KB header", kind: KindLeads, file: "leads.csv",
			body: strings.Join(names, ",") + "\n" + strings.Repeat("x,", 699) + "x\n",
			want: " line 1: missing required column lead_id (columns found: " + strings.Join(shown, ", ") + ", c0…; 700 columns in all)"},
		{name: "a 20 KB value", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel\nL1," + long + ",web\n",
			want: ` line 2: column created_at: cannot parse "` + long[:200] + `…" as a timestamp`},
		{name: "a 20 KB column name", kind: KindLeads, file: "leads.csv",
			body: "lead_id,created_at,channel,_" + long + "\nL1,2024-01-01,web,x\n",
			want: ` line 1: column name "_` + long[:199] + `…" is reserved (names starting with _); rename it with --map`},
	})
}

// TestOpenRefusesOtherFiles: a file given as the workspace that is not a
// DuckDB database is named for what it is, and left as it was.
func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, body, want string }{
		{"sqlite.db", "SQLite format 3\x00" + strings.Repeat("\x00", 100), "is a SQLite database, not a DuckDB database"},
		{"notes.duckdb", "lead_id,created_at\n", "is not a DuckDB database"},
	}
	for _, tc := range tests {
		path := writeTestFile(t, dir, tc.name, tc.body)
		for _, ro := range []bool{false, true} {
			s, err := Open(context.Background(), path, Options{ReadOnly: ro})
			if err == nil {
				s.Close()
				t.Fatalf("%s: opened", tc.name)
			}
			want := "database " + path + " " + tc.want + "; name a funnel workspace or a file that does not exist yet"
			if err.Error() != want || !errors.Is(err, ErrNotDatabase) {
				t.Errorf("%s (read-only %v): err = %v\nwant %s", tc.name, ro, err, want)
			}
		}
		if b, err := readFileBytes(path); err != nil || string(b) != tc.body {
			t.Errorf("%s changed: %q, %v", tc.name, b, err)
		}
	}
	// A file another process may be creating (empty, or zeros so far) is
	// left to DuckDB, which names the lock its creator holds.
	for i, body := range []string{"", strings.Repeat("\x00", 64)} {
		path := writeTestFile(t, dir, fmt.Sprintf("new%d.duckdb", i), body)
		s, err := Open(context.Background(), path, Options{})
		if err == nil {
			s.Close()
		}
		if errors.Is(err, ErrNotDatabase) {
			t.Errorf("%q: %v", body, err)
		}
	}
}
