package pagecheck

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Box is one text of a chart as the browser laid it out, in CSS pixels
// relative to the viewport.
type Box struct {
	Text string  `json:"text"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

// Chart is the texts of one chart div.
type Chart struct {
	ID    string `json:"id"`
	Boxes []Box  `json:"boxes"`
}

// Overlap is two texts of one chart whose boxes intersect by more than
// Tolerance pixels both across and down.
type Overlap struct {
	Chart string
	A, B  Box
}

// String names the chart and quotes both texts with their boxes.
func (o Overlap) String() string {
	return fmt.Sprintf("%s: %q [%.0f,%.0f %.0f×%.0f] overlaps %q [%.0f,%.0f %.0f×%.0f]", o.Chart,
		o.A.Text, o.A.X, o.A.Y, o.A.W, o.A.H, o.B.Text, o.B.X, o.B.Y, o.B.W, o.B.H)
}

// Tolerance is how many pixels two text boxes may share in each direction
// without counting as an overlap: a glyph box includes the font's ascent
// and descent, so lines set tight touch by a pixel or two without any ink
// touching.
const Tolerance = 2.0

// Overlaps returns every pair of texts of the same chart whose boxes
// intersect by more than Tolerance pixels in both directions, in chart
// order, then in the order the texts appear in the chart.
func Overlaps(charts []Chart) []Overlap {
	var out []Overlap
	for _, c := range charts {
		for i := 0; i < len(c.Boxes); i++ {
			for j := i + 1; j < len(c.Boxes); j++ {
				if intersect(c.Boxes[i], c.Boxes[j]) {
					out = append(out, Overlap{Chart: c.ID, A: c.Boxes[i], B: c.Boxes[j]})
				}
			}
		}
	}
	return out
}

// intersect reports whether a and b share more than Tolerance pixels
// across and down.
func intersect(a, b Box) bool {
	ix := math.Min(a.X+a.W, b.X+b.W) - math.Max(a.X, b.X)
	iy := math.Min(a.Y+a.H, b.Y+b.H) - math.Max(a.Y, b.Y)
	return ix > Tolerance && iy > Tolerance
}

// textsJS collects, for every div.chart, the boxes of its visible texts:
// SVG <text> elements (titles, subtitles, axis names and labels, data
// labels, mark labels, legend items) and HTML headings placed inside it.
// Empty texts, hidden ones and zero-sized ones are skipped.
const textsJS = `JSON.stringify(Array.from(document.querySelectorAll("div.chart")).map((div) => {
  const boxes = [];
  div.querySelectorAll("svg text, h1, h2, h3, h4, h5, h6").forEach((el) => {
    const text = (el.textContent || "").trim();
    if (!text) { return; }
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || parseFloat(cs.opacity) === 0) { return; }
    for (let p = el; p && p !== div; p = p.parentElement) {
      if (p.getAttribute && (p.getAttribute("opacity") === "0" || p.getAttribute("display") === "none")) { return; }
    }
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) { return; }
    boxes.push({ text: text, x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height });
  });
  return { id: div.id, boxes: boxes };
}))`

// decodeCharts parses textsJS's result.
func decodeCharts(s string) ([]Chart, error) {
	var cs []Chart
	if err := json.NewDecoder(strings.NewReader(s)).Decode(&cs); err != nil {
		return nil, fmt.Errorf("decode chart texts: %w", err)
	}
	return cs, nil
}
