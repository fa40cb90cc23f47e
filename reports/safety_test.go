package reports

import (
	"bytes"
	"strings"
	"testing"
)

// TestHostileNamesEscaped checks the generated HTML itself (the browser
// test checks what a browser does with it): no hostile name appears raw,
// each appears HTML-escaped in a table, and no <script> element is opened or
// closed by data.
func TestHostileNamesEscaped(t *testing.T) {
	pages := []struct {
		name   string
		write  func(*bytes.Buffer) error
		charts int
	}{
		{"funnel", func(b *bytes.Buffer) error { return WriteFunnel(b, funnelFixture(), Options{Title: hostile}) }, 10},
		{"calibration", func(b *bytes.Buffer) error {
			return WriteCalibration(b, calibrationFixture(), Options{GeneratedAt: hostile})
		}, 9},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := p.write(&b); err != nil {
				t.Fatal(err)
			}
			page := strings.Replace(b.String(), echartsJS, "", 1)
			for _, raw := range []string{hostile, hostileNames[1]} {
				if strings.Contains(page, raw) {
					t.Errorf("raw %q in the page", raw)
				}
			}
			if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("hostile name not shown HTML-escaped")
			}
			if !strings.Contains(page, `\u003cimg src=x onerror=alert(1)\u003e`) {
				t.Errorf("hostile name not JSON-escaped in the chart options")
			}
			// One script for echarts, one JSON option per chart, one init script.
			want := 2 + p.charts
			if n := strings.Count(page, "<script"); n != want {
				t.Errorf("%d <script openings, want %d", n, want)
			}
			if n := strings.Count(page, "</script>"); n != want {
				t.Errorf("%d </script> closings, want %d", n, want)
			}
			if n := strings.Count(page, `<div class="chart" id="chart-`); n != p.charts {
				t.Errorf("%d chart divs, want %d", n, p.charts)
			}
		})
	}
}

// TestMerge checks how a patch is merged into a chart option.
func TestMerge(t *testing.T) {
	dst := map[string]any{
		"tooltip": map[string]any{"trigger": "axis"},
		"yAxis":   []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}},
		"series":  []any{map[string]any{"type": "bar"}, map[string]any{"type": "line"}},
		"title":   map[string]any{"text": "x"},
	}
	merge(dst, map[string]any{
		"tooltip":   map[string]any{"renderMode": "richText"},
		"yAxis":     map[string]any{"ignored": true},
		"series":    []any{nil, map[string]any{"markArea": 1}, map[string]any{"type": "extra"}},
		"title":     []any{"a", "b"},
		"animation": false,
	})
	tip := dst["tooltip"].(map[string]any)
	if tip["trigger"] != "axis" || tip["renderMode"] != "richText" {
		t.Errorf("tooltip = %v, want trigger kept and renderMode added", tip)
	}
	if y := dst["yAxis"].([]any); len(y) != 2 || y[0].(map[string]any)["ignored"] != nil {
		t.Errorf("yAxis = %v, want unchanged", y)
	}
	s := dst["series"].([]any)
	if len(s) != 3 || s[0].(map[string]any)["markArea"] != nil || s[1].(map[string]any)["markArea"] != 1 ||
		s[1].(map[string]any)["type"] != "line" || s[2].(map[string]any)["type"] != "extra" {
		t.Errorf("series = %v, want markArea on series 1 only and a third series appended", s)
	}
	if _, ok := dst["title"].([]any); !ok || dst["animation"] != false {
		t.Errorf("title = %v, animation = %v; want replaced", dst["title"], dst["animation"])
	}
}

// TestPatches checks that patches for different series keep their positions.
func TestPatches(t *testing.T) {
	p := patches(itemTips(2, []string{"a", "", "c"}), itemTips(0, []string{"x"}))
	s := p["series"].([]any)
	if len(s) != 3 || s[1] != nil {
		t.Fatalf("series = %v, want 3 entries with a gap at 1", s)
	}
	d2 := s[2].(map[string]any)["data"].([]any)
	if d2[1] != nil || d2[2].(map[string]any)["tooltip"].(map[string]any)["formatter"] != "c" {
		t.Errorf("series 2 data = %v", d2)
	}
	dst := map[string]any{"series": []any{map[string]any{"data": []any{map[string]any{"value": 1}}}, map[string]any{}, map[string]any{
		"data": []any{map[string]any{"value": 1}, "-", map[string]any{"value": 3}}}}}
	merge(dst, itemTips(2, []string{"", "on the gap"}))
	merge(dst, p)
	got := dst["series"].([]any)[2].(map[string]any)["data"].([]any)
	if got[1] != "-" || got[2].(map[string]any)["value"] != 3 || got[2].(map[string]any)["tooltip"] == nil {
		t.Errorf("merged data = %v: the gap must stay and item 2 keep its value", got)
	}
}
