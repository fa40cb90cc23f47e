package queries

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// tsOracle is an independent Go reading of the accepted timestamp forms
// (see load_macro_timestamp.sql), used to cross-check the SQL parser.
var tsOracle = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2})(?::?(\d{2}))?)?)?)?$`)

func oracleTimestamp(s string) (time.Time, bool) {
	m := tsOracle.FindStringSubmatch(strings.Trim(s, " "))
	if m == nil {
		return time.Time{}, false
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	y, mo, d, h, mi, sec := n(1), n(2), n(3), n(4), n(5), n(6)
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	us := 0
	if f := m[7]; f != "" {
		f = (f + "000000")[:6] // truncate to microseconds
		us, _ = strconv.Atoi(f)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, time.UTC)
	if t.Day() != d { // 2024-02-30 rolled over: not a date
		return time.Time{}, false
	}
	if m[9] != "" {
		oh, om := n(10), n(11)
		if oh > 14 || om > 59 {
			return time.Time{}, false
		}
		off := time.Duration(oh)*time.Hour + time.Duration(om)*time.Minute
		if m[9] == "+" {
			off = -off
		}
		t = t.Add(off)
	}
	return t, true
}

// FuzzParseTimestamp checks the SQL timestamp parser against tsOracle: both
// accept the same strings and agree on the instant.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2024-01-02", "2024-01-02 10:11", "2024-01-02T10:11:12.123456789Z",
		"2024-01-02T10:11:12+05:30", "2024-01-02 10:11:12-0800", "2024-02-29", "2023-02-29",
		"2024-13-45", "infinity", " 2024-01-02T00:00:00+14 ", "9999-12-31T23:59:59Z",
		// the 19-character form funnel_ts takes a shortcut for, and its near misses
		"2024-01-02 10:11:12", "0999-01-02 10:11:12", "2024-01-02 24:00:00", "2024-1-02 10:11:12 ",
		"2023-02-29 10:11:12", "12024-01-02 10:11:1", "2024-01-02 10:11:60", "-024-01-02 10:11:12"} {
		f.Add(s)
	}
	s, err := Open(context.Background(), ":memory:", Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) || strings.ContainsRune(in, 0) {
			t.Skip() // the loader refuses such files before parsing
		}
		if tr := os.Getenv("FUZZ_TRACE"); tr != "" {
			fh, _ := os.OpenFile(tr, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			fmt.Fprintf(fh, "%q\n", in)
			fh.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		got, ok, err := s.ParseTimestamp(ctx, in)
		if err != nil {
			t.Fatalf("ParseTimestamp(%q): %v", in, err)
		}
		want, wantOK := oracleTimestamp(in)
		if wantOK && want.Year() < 1 {
			return // before year 1 the two calendars' conventions differ; not compared
		}
		if ok != wantOK || (ok && !got.Equal(want)) {
			t.Fatalf("ParseTimestamp(%q) = %v, %v; oracle %v, %v", in, got, ok, want, wantOK)
		}
	})
}

// FuzzParseMapping: any input either fails with an error or gives a
// mapping whose names are valid and which survives a YAML round trip.
func FuzzParseMapping(f *testing.F) {
	for _, name := range []string{"hubspot.yaml", "salesforce.yaml"} {
		b, err := readTestdata(filepath.Join("mappings", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("leads:\n  \"a\\\"; DROP TABLE leads; --\": lead_id\n"))
	f.Add([]byte("outcomes:\n  Contact: lead_id\n  outcome: \"=won\"\nleads:\n  created_at: =2024-01-01\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := ParseMapping(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, k := range loadOrder() {
			raw := m.renames(k)
			norm, consts := m.For(k), m.Constants(k)
			if len(norm)+len(consts) != len(raw) {
				t.Fatalf("%s: %d names normalise to %d renames and %d constants", k, len(raw), len(norm), len(consts))
			}
			for name, v := range consts {
				if name == "" || v == "" || name == "lead_id" || !utf8.ValidString(v) {
					t.Fatalf("%s: bad constant %q = %q", k, name, v)
				}
			}
			for from, to := range norm {
				if from == "" || to == "" || !utf8.ValidString(from) || !utf8.ValidString(to) {
					t.Fatalf("%s: bad name %q → %q", k, from, to)
				}
			}
		}
		out, err := yaml.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseMapping(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("round trip of %q: %v", out, err)
		}
		if !reflect.DeepEqual(normalised(again), normalised(m)) {
			t.Fatalf("round trip changed %+v into %+v", m, again)
		}
	})
}

func normalised(m Mapping) map[Kind]map[string]string {
	out := map[Kind]map[string]string{}
	for _, k := range loadOrder() {
		out[k] = m.For(k)
	}
	return out
}

// FuzzLoadColumnNames renames a leads file's extra column to a fuzzed name
// through a mapping: the load either stores the attribute under the
// normalised name or refuses with an InputError; the name can never break
// the SQL (quotes, semicolons, comments).
func FuzzLoadColumnNames(f *testing.F) {
	for _, s := range []string{"title", `a"b`, `x"; DROP TABLE leads; --`, "-- c", "_raw_x", "Lead_ID", "/*COLUMNS*/", "'; SELECT 1; '", "ünïcødé", " "} {
		f.Add(s)
	}
	s, err := Open(context.Background(), ":memory:", Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	dir := f.TempDir()
	path := filepath.Join(dir, "leads.csv")
	if err := writeFileBytes(path, []byte("lead_id,created_at,channel,extra\nL1,2024-01-01,web,v\n")); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		m := Mapping{Leads: map[string]string{"extra": name}}
		if err := checkRenames(KindLeads, m.Leads, nil); err != nil {
			return // ParseMapping would refuse it
		}
		ctx := context.Background()
		if _, err := s.DB().ExecContext(ctx, "DELETE FROM leads"); err != nil {
			t.Fatal(err)
		}
		_, err := s.Load(ctx, LoadRequest{Leads: path, Mapping: m})
		var ie *InputError
		if err != nil {
			if !errors.As(err, &ie) {
				t.Fatalf("name %q: %v (not an InputError)", name, err)
			}
			return
		}
		var got string
		if err := s.DB().QueryRowContext(ctx, "SELECT name FROM lead_attributes").Scan(&got); err != nil {
			t.Fatalf("name %q: %v", name, err)
		}
		if got != normName(name) {
			t.Fatalf("attribute stored as %q, want %q", got, normName(name))
		}
	})
}

func readTestdata(rel string) ([]byte, error) {
	b, err := readFileBytes(filepath.Join("..", "testdata", rel))
	if err != nil {
		return nil, fmt.Errorf("testdata %s: %w", rel, err)
	}
	return b, nil
}
