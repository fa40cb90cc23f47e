package reports

import (
	"bytes"
	"reflect"
	"testing"
)

func TestTables(t *testing.T) {
	type lift struct {
		Stage string  `json:"stage"`
		Ratio float64 `json:"ratio"`
	}
	type action struct {
		Action string `json:"action"`
		Lift   []lift `json:"lift"`
	}
	doc := struct {
		Target  string            `json:"target"`
		Options map[string]any    `json:"options"`
		Actions []action          `json:"by_action"`
		Empty   []action          `json:"empty"`
		Names   map[string]string `json:"names"`
	}{
		Target:  "won",
		Options: map[string]any{"days": []float64{1, 3}, "ok": true},
		Actions: []action{{"demo", []lift{{"sql", 2.5}, {"won", 3}}}, {"ebook", []lift{{"sql", 1}}}},
		Empty:   []action{},
		Names:   map[string]string{"a": "b"},
	}
	got, err := Tables(doc)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range got {
		names = append(names, tb.Name)
	}
	if want := []string{"summary", "by_action", "by_action_lift"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("tables %v, want %v", names, want)
	}
	csv := func(tb Table) string {
		var b bytes.Buffer
		if err := tb.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	// Map keys come sorted (encoding/json); a list of plain values is
	// joined; an empty list is an empty text.
	if want := "target,options_days,options_ok,empty,names_a\nwon,1; 3,true,,b\n"; csv(got[0]) != want {
		t.Errorf("summary\n%s\nwant\n%s", csv(got[0]), want)
	}
	if want := "action\ndemo\nebook\n"; csv(got[1]) != want {
		t.Errorf("by_action\n%s\nwant\n%s", csv(got[1]), want)
	}
	// Each lift row names its action's row (1-based).
	if want := "by_action_row,stage,ratio\n1,sql,2.5\n1,won,3\n2,sql,1\n"; csv(got[2]) != want {
		t.Errorf("by_action_lift\n%s\nwant\n%s", csv(got[2]), want)
	}
	if want := []string{"integer", "text", "number"}; !reflect.DeepEqual(got[2].Kinds, want) {
		t.Errorf("kinds %v, want %v", got[2].Kinds, want)
	}
	if want := []any{2.5, 3.0, 1.0}; !reflect.DeepEqual(got[2].Column(2), want) {
		t.Errorf("ratio column %v, want %v", got[2].Column(2), want)
	}
}
