package reports

import (
	"math"
	"strconv"
)

// table is an HTML table of the numbers behind a chart. Every text is
// escaped by html/template when the page is written.
type table struct {
	// Caption says what the rows are.
	Caption string
	// Head are the column headings; Numeric marks right-aligned numeric
	// columns (sorted by number, not text).
	Head    []string
	Numeric []bool
	Rows    []row
}

// row is one table row.
type row struct {
	Cells []cell
	// Class is a CSS class for the row, e.g. "immature" or "chosen".
	Class string
}

// cell is one table cell: Text is shown; Sort, when set, is the raw value
// the sortable-table script orders by (a number as text).
type cell struct {
	Text string
	Sort string
}

// textCell is a cell shown and sorted as text.
func textCell(s string) cell { return cell{Text: s} }

// intCell is a count with thousands separators, sorted by value.
func intCell(n int) cell { return cell{Text: fmtInt(n), Sort: strconv.Itoa(n)} }

// floatCell is a number with decimals, sorted by value.
func floatCell(v float64, decimals int) cell {
	return cell{Text: fmtFloat(v, decimals), Sort: sortKey(v)}
}

// pctCell is a rate in [0,1] shown as a percentage, sorted by value.
func pctCell(rate float64) cell { return cell{Text: fmtPct(rate), Sort: sortKey(rate)} }

// sortKey is v as text for sorting; NaN sorts first.
func sortKey(v float64) string {
	if math.IsNaN(v) {
		return "-1e308"
	}
	if math.IsInf(v, 0) {
		if v > 0 {
			return "1e308"
		}
		return "-1e308"
	}
	return strconv.FormatFloat(v, 'g', 10, 64)
}
