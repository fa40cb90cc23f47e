package calibrate

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseModel feeds arbitrary bytes to ParseModel. It must never panic,
// must fail only with ErrInvalidModel, and a model it accepts must write and
// read back to the same file (WriteYAML is a fixed point), the same features
// and the same score.
func FuzzParseModel(f *testing.F) {
	f.Add([]byte(specModel))
	f.Add([]byte("version: 1\nthreshold: 40\nactions:\n  webinar: 5\n  pricing_page: {points: 8, cap: 2}\nfeatures: {webinar: yesno}\n"))
	f.Add([]byte("version: 1\nthreshold: -3\nattributes:\n  title: {\"yes\": 1, \"null\": -2}\nchannels: {\"404\": 7}\n"))
	f.Add([]byte("version: 1\nthreshold: 2\nchannels: {\"(none)\": 3, other: 1}\nattributes: {title: {\"(missing)\": -2}}\nbaselines: {channel: web, title: \"no\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseModel(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidModel) {
				t.Fatalf("error %v does not wrap ErrInvalidModel", err)
			}
			return
		}
		var first bytes.Buffer
		if err := m.WriteYAML(&first); err != nil {
			t.Fatalf("accepted model does not write: %v", err)
		}
		back, err := ParseModel(strings.NewReader(first.String()))
		if err != nil {
			t.Fatalf("written model does not parse: %v\n%s", err, first.String())
		}
		var second bytes.Buffer
		if err := back.WriteYAML(&second); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("not a fixed point:\n%s\n---\n%s", first.String(), second.String())
		}
		if !reflect.DeepEqual(m.FeatureNames(), back.FeatureNames()) {
			t.Fatalf("features %v became %v", m.FeatureNames(), back.FeatureNames())
		}
		row := FeatureRow{}
		for i, name := range m.FeatureNames() {
			row[name] = float64(i%3 + 1)
		}
		s1, _ := m.Score(row)
		s2, _ := back.Score(row)
		if s1 != s2 {
			t.Fatalf("score %d became %d", s1, s2)
		}
	})
}
