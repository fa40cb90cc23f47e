package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes v as indented JSON (two spaces, one trailing newline).
// The output is stable: struct fields keep their declared order and map keys
// are sorted, so the same value always gives the same bytes. Characters such
// as <, > and & are written as themselves, not as \u003c escapes, because the
// file is data, not HTML. NaN and ±Inf cannot be represented in JSON and make
// WriteJSON fail; the writers of report.json and calibration.json are
// expected to hand over finite numbers (or nil pointers for missing values).
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
