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
			req := LoadRequest{Now: func() time.Time { return loadNow }}
			switch tc.kind {
			case KindLeads:
				req.Leads = path
			case KindEvents:
				req.Events = path
			case KindStages:
				req.Stages = path
			case KindOutcomes:
				req.Outcomes = path
			}
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
