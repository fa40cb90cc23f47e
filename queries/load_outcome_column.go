package queries

import (
	"fmt"
	"strings"
)

// OutcomeColumn names the column of a flat leads file that carries each
// lead's outcome (a CRM's "Converted" 0/1 column, a yes/no flag). The zero
// value means the leads file has none.
type OutcomeColumn struct {
	// Column is the column's name in the file, or the name a mapping gives
	// it; compared ignoring case and surrounding spaces.
	Column string
	// Won lists the values that mean won, compared ignoring case and
	// surrounding spaces; every other non-empty value then means lost. Nil
	// means DefaultWonValues, and then a value that is neither one of them
	// nor one of DefaultLostValues is refused, so a typo is not read as lost.
	Won []string
}

// DefaultWonValues are the values of an outcome column that mean won when
// no others are given.
func DefaultWonValues() []string { return []string{"1", "yes", "true", "won", "converted"} }

// DefaultLostValues are the values of an outcome column that mean lost when
// no won values are given.
func DefaultLostValues() []string { return []string{"0", "no", "false", "lost", "not converted"} }

// outcomeColumnExprs are the select-list entries of a leads file's outcome:
// _raw_outcome, the value as text (NULL when empty), and _outcome, won,
// lost or NULL (empty: the lead is still open; or, with the default values,
// a value that is neither won nor lost, which the staging statement
// refuses). Without an outcome column both are NULL.
func outcomeColumnExprs(oc OutcomeColumn, c fileColumn, present bool) []string {
	if !present {
		return []string{"NULL::VARCHAR AS _raw_outcome", "NULL::VARCHAR AS _outcome"}
	}
	raw := trimmedText(c)
	won, otherwise := oc.Won, "NULL"
	lost := DefaultLostValues()
	if won == nil {
		won = DefaultWonValues()
	} else {
		lost, otherwise = nil, "'lost'"
	}
	expr := "CASE WHEN " + raw + " IS NULL THEN NULL WHEN lower(" + raw + ") IN (" + literalList(won) + ") THEN 'won'"
	if len(lost) > 0 {
		expr += " WHEN lower(" + raw + ") IN (" + literalList(lost) + ") THEN 'lost'"
	}
	expr += " ELSE " + otherwise + " END"
	return []string{raw + " AS _raw_outcome", expr + " AS _outcome"}
}

// literalList is values trimmed, lower-cased and quoted as SQL literals,
// separated by commas.
func literalList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = quoteLiteral(strings.ToLower(strings.TrimSpace(v)))
	}
	return strings.Join(quoted, ", ")
}

// unreadableOutcome is the problem of an outcome column value that is
// neither a default won value nor a default lost value.
func unreadableOutcome(value string) string {
	return fmt.Sprintf("cannot read %q as an outcome (won: %s; lost: %s; any case; empty: still open); name the won values with --won-values and every other value counts as lost",
		value, strings.Join(DefaultWonValues(), ", "), strings.Join(DefaultLostValues(), ", "))
}

// checkWonValues refuses an empty won value: an empty field means the lead
// is still open.
func checkWonValues(won []string) error {
	for _, v := range won {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("won values: an empty value cannot mean won (an empty outcome means the lead is still open)")
		}
	}
	return nil
}
