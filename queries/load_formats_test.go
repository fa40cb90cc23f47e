package queries

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// storedEvents returns the events table as "lead|occurred_at UTC|action|value" strings.
func storedEvents(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.DB().Query(`SELECT lead_id, occurred_at, action, value FROM events ORDER BY occurred_at, lead_id, action`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, action string
		var at time.Time
		var v *float64
		if err := rows.Scan(&id, &at, &action, &v); err != nil {
			t.Fatal(err)
		}
		val := "-"
		if v != nil {
			val = time.Duration(*v * float64(time.Second)).String()
		}
		out = append(out, id+"|"+at.UTC().Format("2006-01-02T15:04:05.999999")+"|"+action+"|"+val)
	}
	return out
}

// TestLoadFormats loads the same three events written in every accepted
// form and checks the stored rows. The expected instants are computed by
// hand from the offsets:
//
//	2024-03-10T23:30:00-05:00 = 2024-03-11 04:30:00 UTC
//	2024-06-30T01:15:00+05:30 = 2024-06-29 19:45:00 UTC
//	2024-01-02                = 2024-01-02 00:00:00 UTC
//
// (value 1.5 is shown as the duration 1.5s.)
func TestLoadFormats(t *testing.T) {
	want := []string{
		"L1|2024-01-02T00:00:00|ebook|-",
		"L2|2024-03-11T04:30:00|webinar|1.5s",
		"L3|2024-06-29T19:45:00|demo|-",
	}
	const (
		a = "2024-03-10T23:30:00-05:00"
		b = "2024-06-30T01:15:00+05:30"
	)
	tests := []struct{ name, file, body string }{
		{"comma", "e.csv", "lead_id,occurred_at,action,value\nL1,2024-01-02,ebook,\nL2," + a + ",webinar,1.5\nL3," + b + ",demo,\n"},
		{"semicolon, CRLF", "e.csv", "lead_id;occurred_at;action;value\r\nL1;2024-01-02;ebook;\r\nL2;" + a + ";webinar;1.5\r\nL3;" + b + ";demo;\r\n"},
		{"tab", "e.tsv", "lead_id\toccurred_at\taction\tvalue\nL1\t2024-01-02\tebook\t\nL2\t" + a + "\twebinar\t1.5\nL3\t" + b + "\tdemo\t\n"},
		{"case-insensitive headers, BOM, spaces", "e.txt", "\ufeff Lead_ID ,OCCURRED_AT,Action,VALUE\nL1, 2024-01-02 ,ebook,\nL2," + a + ",webinar, 1.5\nL3," + b + ",demo,\n"},
		{"ndjson", "e.ndjson", `{"Lead_Id":"L1","occurred_at":"2024-01-02","action":"ebook"}` + "\n" +
			`{"Lead_Id":"L2","occurred_at":"` + a + `","action":"webinar","value":1.5}` + "\n" +
			`{"Lead_Id":"L3","occurred_at":"` + b + `","action":"demo","value":null}` + "\n"},
		{"json array", "e.json", `[{"lead_id":"L1","occurred_at":"2024-01-02","action":"ebook"},` +
			`{"lead_id":"L2","occurred_at":"` + a + `","action":"webinar","value":"1.5"},` +
			`{"lead_id":"L3","occurred_at":"` + b + `","action":"demo"}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			mustLoad(t, s, LoadRequest{Events: writeTestFile(t, t.TempDir(), tc.file, tc.body)})
			assertStrings(t, storedEvents(t, s), want)
		})
	}
	t.Run("parquet with text and typed columns, gzip csv", func(t *testing.T) {
		s := openTestStore(t)
		dir := t.TempDir()
		text := filepath.Join(dir, "text.parquet")
		copyTo(t, s, "SELECT * FROM (VALUES ('L1', '2024-01-02', 'ebook', NULL), ('L2', '"+a+"', 'webinar', '1.5'), ('L3', '"+b+"', 'demo', NULL)) t(lead_id, occurred_at, action, value)", text, "parquet")
		typed := filepath.Join(dir, "typed.parquet")
		copyTo(t, s, "SELECT * FROM (VALUES ('L1', TIMESTAMPTZ '2024-01-02 00:00:00+00', 'ebook', NULL), ('L2', TIMESTAMPTZ '"+a+"', 'webinar', 1.5), ('L3', TIMESTAMPTZ '"+b+"', 'demo', NULL)) t(lead_id, occurred_at, action, value)", typed, "parquet")
		gz := filepath.Join(dir, "e.csv.gz")
		copyTo(t, s, "SELECT * FROM (VALUES ('L1', '2024-01-02', 'ebook', NULL), ('L2', '"+a+"', 'webinar', '1.5'), ('L3', '"+b+"', 'demo', NULL)) t(lead_id, occurred_at, action, value)", gz, "csv, COMPRESSION gzip")
		for _, p := range []string{text, typed, gz} {
			s := openTestStore(t)
			mustLoad(t, s, LoadRequest{Events: p})
			assertStrings(t, storedEvents(t, s), want)
		}
	})
}

func assertStrings(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("row %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

// TestParseTimestamp checks each accepted form and some refused ones; the
// UTC instants are worked out by hand from the offsets.
func TestParseTimestamp(t *testing.T) {
	s, err := Open(context.Background(), ":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	utc := func(y int, mo time.Month, d, h, mi, sec, us int) time.Time {
		return time.Date(y, mo, d, h, mi, sec, us*1000, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-01-02", utc(2024, 1, 2, 0, 0, 0, 0), true},
		{"2024-01-02 10:11", utc(2024, 1, 2, 10, 11, 0, 0), true},
		{"2024-01-02T10:11:12", utc(2024, 1, 2, 10, 11, 12, 0), true},
		{"2024-01-02 10:11:12", utc(2024, 1, 2, 10, 11, 12, 0), true},
		{"2024-01-02T10:11:12.5", utc(2024, 1, 2, 10, 11, 12, 500000), true},
		{"2024-01-02T10:11:12.1234567", utc(2024, 1, 2, 10, 11, 12, 123456), true}, // truncated to µs
		{"2024-01-02T10:11:12Z", utc(2024, 1, 2, 10, 11, 12, 0), true},
		{"2024-01-02T10:11:12+02:00", utc(2024, 1, 2, 8, 11, 12, 0), true},       // 10:11 − 2 h
		{"2024-01-02T10:11:12-0530", utc(2024, 1, 2, 15, 41, 12, 0), true},       // 10:11 + 5:30
		{"2024-01-02 00:30:00+01", utc(2024, 1, 1, 23, 30, 0, 0), true},          // previous day
		{"2024-12-31T23:00:00.25-03:00", utc(2025, 1, 1, 2, 0, 0, 250000), true}, // next year
		{"  2024-01-02  ", utc(2024, 1, 2, 0, 0, 0, 0), true},
		{"2024-13-45", time.Time{}, false},
		{"2024-02-30", time.Time{}, false},
		{"2023-02-29", time.Time{}, false},
		{"2024-1-2", time.Time{}, false},
		{"02/01/2024", time.Time{}, false},
		{"infinity", time.Time{}, false},
		{"epoch", time.Time{}, false},
		{"2024-01-02 10:00:00 Europe/Berlin", time.Time{}, false},
		{"2024-01-02T24:00:00", time.Time{}, false},
		{"2024-01-02T10:00Z", time.Time{}, false},
		{"2024-01-02T10:00:00+25:00", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok, err := s.ParseTimestamp(context.Background(), tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
