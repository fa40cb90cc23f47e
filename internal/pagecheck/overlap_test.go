package pagecheck

import "testing"

func TestOverlaps(t *testing.T) {
	// Boxes by hand: title at (0,0) 100×20; a subtitle below it touching by
	// 2 px (allowed); an axis name laid 10 px into the title (an overlap);
	// a label far right (none).
	title := Box{Text: "title", X: 0, Y: 0, W: 100, H: 20}
	sub := Box{Text: "subtitle", X: 0, Y: 18, W: 120, H: 16}
	axis := Box{Text: "axis name", X: 60, Y: 10, W: 80, H: 14}
	far := Box{Text: "label", X: 300, Y: 0, W: 40, H: 14}
	got := Overlaps([]Chart{{ID: "c", Boxes: []Box{title, sub, axis, far}}, {ID: "d", Boxes: []Box{title, title}}})
	want := []string{"c:title/axis name", "c:subtitle/axis name", "d:title/title"}
	if len(got) != len(want) {
		t.Fatalf("got %d overlaps %v, want %v", len(got), got, want)
	}
	for i, o := range got {
		if s := o.Chart + ":" + o.A.Text + "/" + o.B.Text; s != want[i] {
			t.Errorf("overlap %d = %s, want %s", i, s, want[i])
		}
	}
}
